package dev.feedserver.onnx.mlp;

/**
 * An ONNX model that {@link OnnxMlpImporter} cannot turn into ranker layers: bytes that are not
 * an ONNX model, or a graph outside the supported subset. The message names the node, its op
 * and what is supported.
 */
public final class UnsupportedOnnxModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** With a message naming the problem. */
    public UnsupportedOnnxModelException(String message) {
        super(message);
    }

    /** With a message and the parse failure behind it. */
    public UnsupportedOnnxModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
