package dev.capstan.serve.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Where models may be fetched from: the schemes allowed, whether loopback, link-local and private
 * addresses may be reached (off by default, so a model URI cannot reach cloud metadata or internal
 * services), host names exempt from that address check, the directories {@code file://} sources
 * must lie in ({@link FileRoots}; none by default), and caps on size, archive entries, time and
 * redirects.
 */
public record SourcePolicy(Set<String> schemes, boolean allowPrivateAddresses, Set<String> trustedHosts,
                           List<Path> fileRoots, long maxBytes, int maxEntries, Duration timeout, int maxRedirects) {
    public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    public SourcePolicy {
        schemes = Set.copyOf(schemes);
        trustedHosts = Set.copyOf(trustedHosts);
        fileRoots = List.copyOf(fileRoots);
    }

    public static SourcePolicy defaults() {
        return new SourcePolicy(Set.of("file", "http", "https"), false, Set.of(), List.of(), DEFAULT_MAX_BYTES,
                DEFAULT_MAX_ENTRIES, Duration.ofMinutes(5), 5);
    }

    public SourcePolicy withPrivateAddresses(boolean allow) {
        return new SourcePolicy(schemes, allow, trustedHosts, fileRoots, maxBytes, maxEntries, timeout, maxRedirects);
    }

    public SourcePolicy withTrustedHosts(Set<String> hosts) {
        return new SourcePolicy(schemes, allowPrivateAddresses, hosts, fileRoots, maxBytes, maxEntries, timeout, maxRedirects);
    }

    /** {@code file://} sources must lie inside one of {@code roots}. */
    public SourcePolicy withFileRoots(List<Path> roots) {
        return new SourcePolicy(schemes, allowPrivateAddresses, trustedHosts, roots, maxBytes, maxEntries, timeout, maxRedirects);
    }

    public SourcePolicy withMaxBytes(long bytes) {
        return new SourcePolicy(schemes, allowPrivateAddresses, trustedHosts, fileRoots, bytes, maxEntries, timeout, maxRedirects);
    }

    public SourcePolicy withMaxEntries(int entries) {
        return new SourcePolicy(schemes, allowPrivateAddresses, trustedHosts, fileRoots, maxBytes, entries, timeout, maxRedirects);
    }

    public SourcePolicy withSchemes(Set<String> allowed) {
        return new SourcePolicy(allowed, allowPrivateAddresses, trustedHosts, fileRoots, maxBytes, maxEntries, timeout, maxRedirects);
    }
}
