package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.QuantizedMlp.Layer;

/**
 * How the exporter writes one dense layer's {@code weights x input + bias} (the activation is
 * added after, by {@link ActivationNodes}).
 *
 * <p>Threading: implementations are stateless.
 */
sealed interface LayerForm permits FloatLayerForm, Int8LayerForm {

    /** {@code float} or {@code int8}: recorded in the model's metadata. */
    String name();

    /** Adds the nodes and initializers of one layer under {@code prefix}; returns the output's name. */
    String write(OnnxGraphWriter g, String prefix, Layer layer, String input);
}
