package dev.capstan.serve.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Refuses hosts that resolve to loopback, link-local (cloud metadata), private or otherwise internal addresses. */
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
            if (internal(address)) {
                throw new UnsafeModelException(host + " resolves to " + address.getHostAddress()
                        + ", an internal address; model sources must be public unless private addresses are allowed");
            }
        }
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] raw = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = raw[0] & 0xff;
            int second = raw[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240
                    || (first == 198 && (second == 18 || second == 19));
        }
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (raw[0] & 0xfe) == 0xfc;
            boolean mapped = isZero(raw, 0, 10) && (raw[10] & 0xff) == 0xff && (raw[11] & 0xff) == 0xff;
            if (mapped) {
                try {
                    return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(raw, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return uniqueLocal;
        }
        return true;
    }

    private static boolean isZero(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
