package dev.capstan.serve.tensor;

/** A tensor that cannot be built from what the client sent: the message says what is wrong. */
public final class InvalidTensorException extends RuntimeException {
    public InvalidTensorException(String message) {
        super(message);
    }
}
