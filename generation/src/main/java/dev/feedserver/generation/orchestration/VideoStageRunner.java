package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.media.MediaToolMissingException;
import dev.feedserver.generation.media.VideoComposer;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;

/**
 * Runs a {@link StageKind#VIDEO} stage: composes {@code <stage id>.mp4} from its PNG input (the
 * cover) and WAV input (the narration) with ffmpeg. A missing ffmpeg fails the stage at once with
 * the install hint; no retry can fix it. Uses no tokens.
 *
 * <p>Threading and lifecycle: stateless and thread-safe.
 */
public final class VideoStageRunner implements StageRunner {

    @Override
    public StageKind kind() {
        return StageKind.VIDEO;
    }

    @Override
    public StageResult run(StageCall call, LoadedModel model, TaskContext context) throws Exception {
        VideoComposer composer = model.as(VideoComposer.class);
        String name = call.stage().id() + OutputFormat.MP4.extension();
        try {
            composer.compose(call.inputFile(OutputFormat.PNG.mediaType()), call.inputFile(OutputFormat.WAV.mediaType()),
                    call.workDir().resolve(name), context::cancelled);
        } catch (MediaToolMissingException e) {
            throw new StageException(e.getMessage(), e);
        }
        MediaFiles.force(call.workDir().resolve(name)); // durable before the job record names it
        return new StageResult(StageOutput.file(name, OutputFormat.MP4.mediaType()), TokenCount.ZERO);
    }
}
