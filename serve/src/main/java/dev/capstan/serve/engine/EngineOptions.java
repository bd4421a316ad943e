package dev.capstan.serve.engine;

/**
 * How an engine should load a model: threads for one inference, and a signature declared in
 * model.yaml for formats that cannot tell their own (null when none was declared).
 */
public record EngineOptions(int threads, ModelSignature declaredSignature) {
    public static EngineOptions defaults() {
        return new EngineOptions(1, null);
    }
}
