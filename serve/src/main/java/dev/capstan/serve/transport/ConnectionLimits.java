package dev.capstan.serve.transport;

import java.time.Duration;

/**
 * How many connections the server holds open, REST and gRPC together, and how long a connection
 * may sit idle or take over a request's headers. {@code maxConnections} 0 derives the cap from the
 * process's open-file limit ({@link DescriptorLimit#connectionCap()}).
 */
public record ConnectionLimits(int maxConnections, Duration idleTimeout, Duration headerTimeout) {
    public static final int DERIVED = 0;

    public ConnectionLimits {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max connections must be at least 1 (or 0: derived from the open-file limit), not " + maxConnections);
        }
        requirePositive("idle timeout", idleTimeout);
        requirePositive("header timeout", headerTimeout);
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DERIVED, Duration.ofSeconds(120), Duration.ofSeconds(20));
    }

    public ConnectionLimits withMaxConnections(int max) {
        return new ConnectionLimits(max, idleTimeout, headerTimeout);
    }

    public ConnectionLimits withIdleTimeout(Duration timeout) {
        return new ConnectionLimits(maxConnections, timeout, headerTimeout);
    }

    public ConnectionLimits withHeaderTimeout(Duration timeout) {
        return new ConnectionLimits(maxConnections, idleTimeout, timeout);
    }

    /** The cap to enforce: the configured one, or one derived from {@code limit}. */
    public int cap(DescriptorLimit limit) {
        return maxConnections == DERIVED ? limit.connectionCap() : maxConnections;
    }

    /** Parses a duration flag's value: {@code 500ms}, {@code 20s}, {@code 2m}. */
    public static Duration parseDuration(String flag, String text) {
        try {
            Duration parsed;
            if (text.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                parsed = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                parsed = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                throw new NumberFormatException();
            }
            requirePositive(flag, parsed);
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a duration such as 500ms, 20s or 2m, not '" + text + "'");
        }
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + value);
        }
    }
}
