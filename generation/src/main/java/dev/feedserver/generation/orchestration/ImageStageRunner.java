package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.media.CoverRequest;
import dev.feedserver.generation.media.ImageRenderer;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link StageKind#IMAGE} stage: renders the cover from the title (its text input), the
 * brief's topic and tags into {@code <stage id>.png}, with whichever {@link ImageRenderer} the
 * stage's model is (the Java2D cover, or an ONNX image model where one is registered). Counts
 * the text it conditions on in cl100k tokens as its input.
 *
 * <p>Threading and lifecycle: stateless and thread-safe.
 */
public final class ImageStageRunner implements StageRunner {

    /** Cover size: 16:9, large enough for a feed card. */
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;

    @Override
    public StageKind kind() {
        return StageKind.IMAGE;
    }

    @Override
    public StageResult run(StageCall call, LoadedModel model, TaskContext context) throws Exception {
        String title = call.inputText();
        List<String> tags = new ArrayList<>(call.brief().tags());
        CoverRequest request = new CoverRequest(title, call.brief().topic(), tags, WIDTH, HEIGHT);
        byte[] png = model.as(ImageRenderer.class).renderPng(request);
        context.checkCancelled();
        String name = call.stage().id() + OutputFormat.PNG.extension();
        MediaFiles.writeAtomically(call.workDir().resolve(name), png);
        String conditioning = title + " " + call.brief().topic() + " " + String.join(" ", tags);
        return new StageResult(StageOutput.file(name, OutputFormat.PNG.mediaType()),
                new TokenCount(0, 0, Cl100kTokens.count(conditioning.strip()), 0));
    }
}
