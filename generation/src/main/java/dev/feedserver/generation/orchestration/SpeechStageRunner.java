package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.models.SpeechModel;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;

/**
 * Runs a {@link StageKind#SPEECH} stage: speaks the text inputs with FreeTTS into
 * {@code <stage id>.wav} in the job's directory (written to a temporary name, then moved, so a
 * crash never leaves half a file under the real name). Counts the spoken text in cl100k tokens
 * as its input; FreeTTS has no tokens of its own.
 *
 * <p>Threading and lifecycle: stateless and thread-safe (the speech model serialises itself).
 */
public final class SpeechStageRunner implements StageRunner {

    @Override
    public StageKind kind() {
        return StageKind.SPEECH;
    }

    @Override
    public StageResult run(StageCall call, LoadedModel model, TaskContext context) throws Exception {
        String text = call.inputText();
        byte[] wav = model.as(SpeechModel.class).synthesize(text);
        context.checkCancelled();
        String name = call.stage().id() + OutputFormat.WAV.extension();
        MediaFiles.writeAtomically(call.workDir().resolve(name), wav);
        return new StageResult(StageOutput.file(name, OutputFormat.WAV.mediaType()),
                new TokenCount(0, 0, Cl100kTokens.count(text), 0));
    }
}
