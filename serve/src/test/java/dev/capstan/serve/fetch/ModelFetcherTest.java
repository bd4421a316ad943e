package dev.capstan.serve.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.capstan.serve.Fixtures;
import dev.capstan.train.ModelDirectory;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Network;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model sources: schemes, internal addresses (also after redirects), caps, sha256, archives and pickles. */
class ModelFetcherTest {
    @TempDir
    Path temp;
    private HttpServer http;
    private int port;
    private byte[] model;

    @BeforeEach
    void serve() throws IOException {
        model = Files.readAllBytes(Fixtures.dir("mlp").resolve("model.onnx"));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/model.onnx", exchange -> {
            exchange.sendResponseHeaders(200, model.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(model);
            }
        });
        http.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + port + "/model.onnx");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        http.start();
        port = http.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void loopbackIsRefusedUnlessAllowed() throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/model.onnx");
        UnsafeModelException refused = assertThrows(UnsafeModelException.class,
                () -> new ModelFetcher(SourcePolicy.defaults()).fetch(uri, null, temp.resolve("a")));
        assertTrue(refused.getMessage().contains("internal address"));
        Path dir = new ModelFetcher(SourcePolicy.defaults().withPrivateAddresses(true)).fetch(uri, sha256(model), temp.resolve("b"));
        assertEquals(model.length, Files.size(dir.resolve("model.onnx")));
    }

    @Test
    void redirectsAreCheckedAgain() {
        // "localhost" is trusted; the redirect goes to 127.0.0.1, which is not
        SourcePolicy policy = SourcePolicy.defaults().withTrustedHosts(Set.of("localhost"));
        UnsafeModelException refused = assertThrows(UnsafeModelException.class, () -> new ModelFetcher(policy)
                .fetch(URI.create("http://localhost:" + port + "/redirect"), null, temp.resolve("c")));
        assertTrue(refused.getMessage().contains("127.0.0.1"), refused.getMessage());
    }

    @Test
    void schemesAreAllowListed() {
        assertThrows(UnsafeModelException.class, () -> new ModelFetcher(SourcePolicy.defaults())
                .fetch(URI.create("ftp://example.com/model.onnx"), null, temp));
        assertThrows(UnsafeModelException.class, () -> new ModelFetcher(SourcePolicy.defaults().withSchemes(Set.of("https")))
                .fetch(Fixtures.dir("mlp").resolve("model.onnx").toUri(), null, temp));
    }

    @Test
    void sizeCapAndSha256() {
        URI uri = URI.create("http://127.0.0.1:" + port + "/model.onnx");
        SourcePolicy open = SourcePolicy.defaults().withPrivateAddresses(true);
        assertThrows(UnsafeModelException.class, () -> new ModelFetcher(open.withMaxBytes(100)).fetch(uri, null, temp.resolve("d")));
        UnsafeModelException wrongHash = assertThrows(UnsafeModelException.class,
                () -> new ModelFetcher(open).fetch(uri, "00".repeat(32), temp.resolve("e")));
        assertTrue(wrongHash.getMessage().contains("sha256"));
    }

    @Test
    void archiveEntriesCannotEscape() throws IOException {
        for (String name : new String[] {"../evil.onnx", "/etc/evil", "a/../../evil", "C:\\evil"}) {
            Path zip = temp.resolve("bad.zip");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                out.putNextEntry(new ZipEntry(name));
                out.write(1);
            }
            assertThrows(UnsafeModelException.class, () -> ArchiveExtractor.extract(zip, temp.resolve("x"), 1 << 20, 100), name);
        }
        assertTrue(Files.notExists(temp.resolve("evil.onnx")));
    }

    @Test
    void tarLinksAreRefusedAndGoodTarsExtract() throws IOException {
        Path linked = temp.resolve("link.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(linked))) {
            TarArchiveEntry link = new TarArchiveEntry("model.onnx", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        assertThrows(UnsafeModelException.class, () -> ArchiveExtractor.extract(linked, temp.resolve("y"), 1 << 20, 100));

        Path good = temp.resolve("good.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(good))) {
            TarArchiveEntry entry = new TarArchiveEntry("./mlp/model.onnx");
            entry.setSize(model.length);
            out.putArchiveEntry(entry);
            out.write(model);
            out.closeArchiveEntry();
        }
        Path dir = new ModelFetcher(SourcePolicy.defaults().withFileRoots(List.of(temp))).fetch(good.toUri(), null, temp.resolve("z"));
        assertEquals(model.length, Files.size(dir.resolve("mlp/model.onnx")));
        assertThrows(UnsafeModelException.class, () -> ArchiveExtractor.extract(good, temp.resolve("w"), 100, 100));
    }

    @Test
    void pickleFormatsAreRefused() throws IOException {
        Path pkl = Files.write(temp.resolve("model.pkl"), new byte[] {(byte) 0x80, 4, (byte) 0x95});
        assertThrows(UnsafeModelException.class, () -> PickleGuard.check(pkl));
        Path disguised = Files.write(temp.resolve("model.onnx"), new byte[] {(byte) 0x80, 2, 0x63});
        assertThrows(UnsafeModelException.class, () -> PickleGuard.check(disguised));
        Path checkpoint = temp.resolve("weights.pt");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(checkpoint))) {
            out.putNextEntry(new ZipEntry("weights/data.pkl"));
            out.write(new byte[] {(byte) 0x80, 2});
        }
        UnsafeModelException refused = assertThrows(UnsafeModelException.class, () -> PickleGuard.check(checkpoint));
        assertTrue(refused.getMessage().contains("torch.jit.save"));
        PickleGuard.check(Fixtures.dir("mlp-torchscript").resolve("model.pt"));
        PickleGuard.check(Fixtures.dir("mlp").resolve("model.onnx"));
    }

    @Test
    void safetensorsWhoseHeaderLengthReadsAsAPickleMarkerPass() throws IOException {
        // capstan-train's 256,512,256 MLP writes a 640-byte header: the file opens with 0x80 0x02
        Path dir = temp.resolve("wide");
        try (Network network = Network.create(Architecture.mlp(new int[] {1, 8, 8}, 10, new int[] {256, 512, 256}, 1f), 1)) {
            ModelDirectory.write(dir, network, network.parameters(), Map.of(), Map.of());
        }
        Path parameters = dir.resolve(ModelDirectory.PARAMETERS);
        byte[] head = Arrays.copyOf(Files.readAllBytes(parameters), 2);
        assertArrayEquals(new byte[] {(byte) 0x80, 2}, head);
        PickleGuard.check(parameters);
        Path pickle = Files.write(temp.resolve("model.safetensors"), new byte[] {(byte) 0x80, 2, 0, 0, 0, 0, 0, 0, 0x63});
        assertThrows(UnsafeModelException.class, () -> PickleGuard.check(pickle));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
