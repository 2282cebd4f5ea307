package dev.kestrel.inference.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * Weight variants of an ONNX graph, named by file suffix as in onnx-community and transformers.js
 * repositories: {@code decoder_model_merged_q4.onnx} is the 4-bit variant of {@code decoder_model_merged}.
 */
public enum Variant {
    FP32("", "fp32"),
    FP16("_fp16", "fp16"),
    Q4("_q4", "q4"),
    Q4F16("_q4f16", "q4f16"),
    INT8("_int8", "int8"),
    UINT8("_uint8", "uint8"),
    QUANTIZED("_quantized", "quantized"),
    BNB4("_bnb4", "bnb4");

    private final String suffix;
    private final String label;

    Variant(String suffix, String label) {
        this.suffix = suffix;
        this.label = label;
    }

    public String suffix() {
        return suffix;
    }

    public String label() {
        return label;
    }

    public String fileName(String graph) {
        return graph + suffix + ".onnx";
    }

    public static Optional<Variant> fromLabel(String label) {
        return Arrays.stream(values()).filter(v -> v.label.equalsIgnoreCase(label)).findFirst();
    }
}
