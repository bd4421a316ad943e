package dev.capstan.serve.engine;

/** An engine could not load a model or run it; {@link #isClientError} when the inputs were to blame. */
public final class EngineException extends Exception {
    private final boolean clientError;

    public EngineException(String message, boolean clientError, Throwable cause) {
        super(message, cause);
        this.clientError = clientError;
    }

    public static EngineException badInput(String message) {
        return new EngineException(message, true, null);
    }

    public boolean isClientError() {
        return clientError;
    }
}
