package dev.capstan.serve;

/** A request that ends in an error: a status and a message for the client. */
public final class ServeException extends RuntimeException {
    private final ServeStatus status;

    public ServeException(ServeStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public ServeException(ServeStatus status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    public ServeStatus status() {
        return status;
    }

    public static ServeException badRequest(String message) {
        return new ServeException(ServeStatus.BAD_REQUEST, message);
    }

    /** The error a failed future or call stands for: timeouts become TIMEOUT, anything unknown INTERNAL. */
    public static ServeException of(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ServeException serve) {
            return serve;
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new ServeException(ServeStatus.TIMEOUT, "the request timed out before the model answered");
        }
        return new ServeException(ServeStatus.INTERNAL, "internal error: " + cause, cause);
    }

    public static ServeException notFound(String message) {
        return new ServeException(ServeStatus.NOT_FOUND, message);
    }
}
