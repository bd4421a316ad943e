package dev.capstan.serve.fetch;

import java.io.IOException;

/** A model source or file refused for safety: a forbidden address, scheme, archive entry or format. */
public final class UnsafeModelException extends IOException {
    public UnsafeModelException(String message) {
        super(message);
    }
}
