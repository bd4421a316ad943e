package dev.capstan.serve.fetch;

import java.time.Duration;
import java.util.Set;

/**
 * Where models may be fetched from: the schemes allowed, whether loopback, link-local and private
 * addresses may be reached (off by default, so a model URI cannot reach cloud metadata or internal
 * services), host names exempt from that address check, and caps on size, time and redirects.
 */
public record SourcePolicy(Set<String> schemes, boolean allowPrivateAddresses, Set<String> trustedHosts,
                           long maxBytes, Duration timeout, int maxRedirects) {
    public SourcePolicy {
        schemes = Set.copyOf(schemes);
        trustedHosts = Set.copyOf(trustedHosts);
    }

    public static SourcePolicy defaults() {
        return new SourcePolicy(Set.of("file", "http", "https"), false, Set.of(), 2L * 1024 * 1024 * 1024, Duration.ofMinutes(5), 5);
    }

    public SourcePolicy withPrivateAddresses(boolean allow) {
        return new SourcePolicy(schemes, allow, trustedHosts, maxBytes, timeout, maxRedirects);
    }

    public SourcePolicy withTrustedHosts(Set<String> hosts) {
        return new SourcePolicy(schemes, allowPrivateAddresses, hosts, maxBytes, timeout, maxRedirects);
    }

    public SourcePolicy withMaxBytes(long bytes) {
        return new SourcePolicy(schemes, allowPrivateAddresses, trustedHosts, bytes, timeout, maxRedirects);
    }

    public SourcePolicy withSchemes(Set<String> allowed) {
        return new SourcePolicy(allowed, allowPrivateAddresses, trustedHosts, maxBytes, timeout, maxRedirects);
    }
}
