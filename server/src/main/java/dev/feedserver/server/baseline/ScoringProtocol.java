package dev.feedserver.server.baseline;

/**
 * The model server's HTTP interface, shared by {@link ModelServer} and {@link RemoteRanker}:
 * <ul>
 *   <li>{@code POST /v1/score}, {@code Content-Type: application/octet-stream}: the body is
 *       {@code rows x width} float32 values, little-endian, row after row (the dense feature
 *       rows); the answer is {@code rows x outputs} float32 values in the same layout (the
 *       model's head logits). {@code width} and {@code outputs} are fixed by the model, so the
 *       row count is the body length divided by {@code 4 x width}.</li>
 *   <li>{@code GET /v1/model}: JSON {@code {"version", "feature_schema", "width", "outputs"}},
 *       so a client can check it is talking to the model it expects.</li>
 *   <li>{@code GET /healthz}: 200 while the server runs.</li>
 * </ul>
 * Binary float32 is the cheapest encoding a model server offers (Triton's and TF-Serving's
 * binary tensor forms); JSON would make the baseline slower still.
 */
public final class ScoringProtocol {
    /** The scoring path. */
    public static final String SCORE = "/v1/score";
    /** The model description path. */
    public static final String MODEL = "/v1/model";
    /** The liveness path. */
    public static final String HEALTH = "/healthz";
    /** The media type of score requests and answers. */
    public static final String OCTETS = "application/octet-stream";

    private ScoringProtocol() {
    }
}
