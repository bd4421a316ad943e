package dev.capstan.serve.fetch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * IANA's IPv4 and IPv6 special-purpose address registries, plus multicast, as one table. An
 * address in any of these ranges is internal for a model source, except in the ranges that carry
 * an IPv4 address (IPv4-mapped, IPv4-translated, NAT64 {@code 64:ff9b::/96}, 6to4 and ISATAP
 * interface identifiers): there the embedded IPv4 address decides. Ranges whose embedding cannot
 * be read back reliably (Teredo, the local-use NAT64 prefix, deprecated IPv4-compatible addresses)
 * are internal as a whole.
 */
final class SpecialPurposeAddresses {
    /** One registry entry: a prefix, its name, and the byte at which it carries an IPv4 address (-1: none). */
    record Range(String cidr, String name, byte[] prefix, int bits, int ipv4At) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            if (!Arrays.equals(address, 0, whole, prefix, 0, whole)) {
                return false;
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private static final List<Range> RANGES = List.of(
            internal("0.0.0.0/8", "this network"),
            internal("10.0.0.0/8", "private-use"),
            internal("100.64.0.0/10", "shared address space"),
            internal("127.0.0.0/8", "loopback"),
            internal("169.254.0.0/16", "link-local"),
            internal("172.16.0.0/12", "private-use"),
            internal("192.0.0.0/24", "IETF protocol assignments"),
            internal("192.0.2.0/24", "documentation"),
            internal("192.31.196.0/24", "AS112"),
            internal("192.52.193.0/24", "AMT"),
            internal("192.88.99.0/24", "6to4 relay anycast"),
            internal("192.168.0.0/16", "private-use"),
            internal("192.175.48.0/24", "AS112 direct delegation"),
            internal("198.18.0.0/15", "benchmarking"),
            internal("198.51.100.0/24", "documentation"),
            internal("203.0.113.0/24", "documentation"),
            internal("224.0.0.0/4", "multicast"),
            internal("240.0.0.0/4", "reserved and limited broadcast"),
            internal("::/128", "unspecified"),
            internal("::1/128", "loopback"),
            embedding("::ffff:0:0/96", "IPv4-mapped", 12),
            embedding("::ffff:0:0:0/96", "IPv4-translated", 12),
            internal("::/96", "IPv4-compatible (deprecated)"),
            embedding("64:ff9b::/96", "NAT64", 12),
            internal("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
            internal("100::/64", "discard-only"),
            internal("100:0:0:1::/64", "dummy prefix"),
            internal("2001::/32", "Teredo"),
            internal("2001::/23", "IETF protocol assignments"),
            internal("2001:db8::/32", "documentation"),
            embedding("2002::/16", "6to4", 2),
            internal("2620:4f:8000::/48", "AS112 direct delegation"),
            internal("3fff::/20", "documentation"),
            internal("5f00::/16", "segment routing SIDs"),
            internal("fc00::/7", "unique-local"),
            internal("fe80::/10", "link-local"),
            internal("fec0::/10", "site-local (deprecated)"),
            internal("ff00::/8", "multicast"));

    private SpecialPurposeAddresses() {
    }

    /** Why {@code address} is internal ("loopback 127.0.0.0/8", "6to4 2002::/16 carrying 10.0.0.1 …"), or empty when it is public. */
    static Optional<String> internalReason(InetAddress address) {
        byte[] raw = address.getAddress();
        for (Range range : RANGES) {
            if (range.contains(raw)) {
                String named = range.name() + " " + range.cidr();
                if (range.ipv4At() < 0) {
                    return Optional.of(named);
                }
                return embedded(raw, range.ipv4At()).map(reason -> named + " carrying " + reason);
            }
        }
        if (raw.length == 16 && isatap(raw)) {
            return embedded(raw, 12).map(reason -> "ISATAP interface identifier carrying " + reason);
        }
        return Optional.empty();
    }

    /** An ISATAP interface identifier ({@code 0000:5efe} or {@code 0200:5efe}, then the IPv4 address) under any prefix. */
    private static boolean isatap(byte[] raw) {
        return (raw[8] & 0xfd) == 0 && raw[9] == 0 && (raw[10] & 0xff) == 0x5e && (raw[11] & 0xff) == 0xfe;
    }

    private static Optional<String> embedded(byte[] raw, int at) {
        InetAddress ipv4 = address(Arrays.copyOfRange(raw, at, at + 4));
        return internalReason(ipv4).map(reason -> ipv4.getHostAddress() + " (" + reason + ")");
    }

    private static Range internal(String cidr, String name) {
        return range(cidr, name, -1);
    }

    private static Range embedding(String cidr, String name, int ipv4At) {
        return range(cidr, name, ipv4At);
    }

    private static Range range(String cidr, String name, int ipv4At) {
        int slash = cidr.indexOf('/');
        String network = cidr.substring(0, slash);
        byte[] prefix;
        try {
            InetAddress parsed = InetAddress.getByName(network);
            prefix = parsed.getAddress();
            if (network.contains(":") && parsed instanceof Inet4Address) {
                // Java reads ::ffff:a.b.c.d as the IPv4 address itself; the table needs all 16 bytes
                prefix = new byte[16];
                prefix[10] = (byte) 0xff;
                prefix[11] = (byte) 0xff;
                System.arraycopy(parsed.getAddress(), 0, prefix, 12, 4);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
        return new Range(cidr, name, prefix, Integer.parseInt(cidr.substring(slash + 1)), ipv4At);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
