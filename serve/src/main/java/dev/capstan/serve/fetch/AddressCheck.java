package dev.capstan.serve.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Refuses hosts that resolve to an internal address: loopback, link-local (cloud metadata),
 * private, or any other special-purpose range, also when written as an IPv6 form that carries an
 * IPv4 address ({@link SpecialPurposeAddresses}).
 */
final class AddressCheck {
    private AddressCheck() {
    }

    static void check(URI uri, SourcePolicy policy) throws UnsafeModelException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new UnsafeModelException(uri + " has no host");
        }
        if (policy.allowPrivateAddresses() || policy.trustedHosts().contains(host)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UnsafeModelException("cannot resolve " + host);
        }
        for (InetAddress address : addresses) {
            Optional<String> reason = SpecialPurposeAddresses.internalReason(address);
            if (reason.isPresent()) {
                throw new UnsafeModelException(host + " resolves to " + address.getHostAddress() + ", an internal address ("
                        + reason.get() + "); model sources must be public unless private addresses are allowed");
            }
        }
    }

    static boolean internal(InetAddress address) {
        return SpecialPurposeAddresses.internalReason(address).isPresent();
    }
}
