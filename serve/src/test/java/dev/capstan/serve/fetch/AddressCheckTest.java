package dev.capstan.serve.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every special-purpose range is internal, in IPv4 and in each IPv6 form that carries an IPv4 address. */
class AddressCheckTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} internal={1}")
    @CsvSource({
        // IPv4 special-purpose registry
        "0.0.0.0, true", "10.1.2.3, true", "100.64.0.1, true", "127.0.0.1, true", "169.254.169.254, true",
        "172.16.0.1, true", "192.0.0.192, true", "192.0.0.9, true", "192.0.2.1, true", "192.31.196.1, true",
        "192.52.193.1, true", "192.88.99.1, true", "192.168.1.1, true", "192.175.48.1, true", "198.18.0.1, true",
        "198.19.255.255, true", "198.51.100.1, true", "203.0.113.1, true", "224.0.0.1, true", "240.0.0.1, true",
        "255.255.255.255, true",
        // IPv6 special-purpose registry
        "::, true", "::1, true", "100::1, true", "100:0:0:1::1, true", "2001:db8::1, true", "2001:2::1, true",
        "2620:4f:8000::1, true", "3fff::1, true", "5f00::1, true", "fd00::1, true", "fe80::1, true", "fec0::1, true",
        "ff02::1, true", "64:ff9b:1::a00:1, true", "64:ff9b:1::808:808, true",
        // Teredo and deprecated IPv4-compatible addresses are internal whatever they carry
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, true", "::127.0.0.1, true", "::8.8.8.8, true",
        // forms that carry an IPv4 address: the IPv4 address decides
        "::ffff:127.0.0.1, true", "::ffff:169.254.169.254, true", "::ffff:8.8.8.8, false",
        "::ffff:0:10.0.0.1, true", "::ffff:0:8.8.8.8, false",
        "64:ff9b::127.0.0.1, true", "64:ff9b::a9fe:a9fe, true", "64:ff9b::192.0.0.192, true", "64:ff9b::8.8.8.8, false",
        "2002:7f00:1::1, true", "2002:a00:1::1, true", "2002:c000:c0::1, true", "2002:808:808::1, false",
        "2600::5efe:a00:1, true", "2600::200:5efe:a9fe:a9fe, true", "2600::5efe:808:808, false",
        // public
        "8.8.8.8, false", "1.1.1.1, false", "192.0.3.1, false", "2606:4700:4700::1111, false",
        "2001:4860:4860::8888, false"})
    void specialPurposeAddressesAreInternal(String address, boolean internal) throws Exception {
        assertEquals(internal, AddressCheck.internal(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'http://[64:ff9b::7f00:1]:1/model.onnx', NAT64 64:ff9b::/96 carrying 127.0.0.1 (loopback 127.0.0.0/8)",
        "'http://[2002:a9fe:a9fe::1]/model.onnx', 6to4 2002::/16 carrying 169.254.169.254 (link-local 169.254.0.0/16)",
        "'http://[::a9fe:a9fe]/model.onnx', IPv4-compatible (deprecated) ::/96",
        "'http://192.0.0.192/model.onnx', IETF protocol assignments 192.0.0.0/24"})
    void aFetchNamesTheRangeItRefused(String uri, String reason) {
        UnsafeModelException refused = assertThrows(UnsafeModelException.class,
                () -> new ModelFetcher(SourcePolicy.defaults()).fetch(URI.create(uri), null, temp.resolve("work")));
        assertTrue(refused.getMessage().contains("an internal address (" + reason + ")"), refused.getMessage());
    }
}
