package dev.kestrel.inference.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.kestrel.inference.runtime.NativeWork;
import dev.kestrel.inference.runtime.OrtRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One conversation's key/value cache. The tensors stay in ONNX Runtime's native memory: each step's
 * {@code present.*} outputs are fed back as the next step's {@code past_key_values.*} inputs without
 * a copy into Java, and the step before is freed once the next one has run.
 */
final class KvCache implements AutoCloseable {

    private final List<String> pastNames;
    private final List<String> presentNames;
    private final Map<String, OnnxTensor> past = new LinkedHashMap<>();
    private final List<OnnxTensor> initial;
    private OrtSession.Result owner;
    private int length;

    /** @param empty one zero-length tensor per past input, {@code [batch, kv_heads, 0, head_dim]} */
    KvCache(List<String> pastNames, List<String> presentNames, List<OnnxTensor> empty) {
        this.pastNames = pastNames;
        this.presentNames = presentNames;
        this.initial = new ArrayList<>(empty);
        for (int i = 0; i < pastNames.size(); i++) {
            past.put(pastNames.get(i), empty.get(i));
        }
    }

    /** Tokens held. */
    int length() {
        return length;
    }

    Map<String, OnnxTensor> tensors() {
        return past;
    }

    /** Takes the present tensors of a finished step as the new past; the cache now owns {@code result}. */
    void advance(OrtSession.Result result, int tokens) {
        for (int i = 0; i < pastNames.size(); i++) {
            String present = presentNames.get(i);
            OnnxValue value = result.get(present)
                    .orElseThrow(() -> new IllegalStateException("the decoder returned no " + present));
            past.put(pastNames.get(i), (OnnxTensor) value);
        }
        if (owner != null) {
            owner.close();
        }
        owner = result;
        length += tokens;
    }

    @Override
    public void close() {
        if (owner != null) {
            OrtSession.Result freed = owner;
            NativeWork.free(freed::close);
            owner = null;
        }
        initial.forEach(tensor -> NativeWork.free(tensor::close));
        initial.clear();
        past.clear();
    }
}
