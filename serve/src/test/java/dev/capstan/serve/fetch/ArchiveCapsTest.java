package dev.capstan.serve.fetch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size and entry caps hold while an archive is written out, and a refused fetch leaves nothing behind. */
class ArchiveCapsTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path temp;

    @Test
    void anEntryDeclaringMoreThanTheCapIsRefusedBeforeAByteOfItIsWritten() throws IOException {
        Path tar = temp.resolve("big.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            TarArchiveEntry entry = new TarArchiveEntry("model.onnx");
            entry.setSize(4 * MIB);
            out.putArchiveEntry(entry);
            out.write(new byte[4 * MIB]);
            out.closeArchiveEntry();
        }
        Path target = temp.resolve("target");
        UnsafeModelException refused = assertThrows(UnsafeModelException.class, () -> ArchiveExtractor.extract(tar, target, MIB, 100));
        assertTrue(refused.getMessage().contains("declares 4194304 bytes, past the size cap of 1048576 bytes"), refused.getMessage());
        assertFalse(Files.exists(target.resolve("model.onnx")));
    }

    @Test
    void anEntryOfUndeclaredSizeStopsAtTheCap() throws IOException {
        // a zip bomb: 64 MiB of zeros in a streamed entry, whose size only its trailer tells
        Path zip = temp.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("model.onnx"));
            byte[] zeros = new byte[MIB];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        Path target = temp.resolve("target");
        assertThrows(UnsafeModelException.class, () -> ArchiveExtractor.extract(zip, target, MIB, 100));
        assertTrue(Files.size(target.resolve("model.onnx")) <= MIB, "never more than the cap on disk");
    }

    @Test
    void anArchiveWithMoreEntriesThanTheCapIsRefusedBeforeItWritesThemAll() throws IOException {
        Path zip = temp.resolve("many.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < 2_000; i++) {
                out.putNextEntry(new ZipEntry("empty-" + i));
                out.closeEntry();
            }
        }
        Path target = temp.resolve("target");
        UnsafeModelException refused = assertThrows(UnsafeModelException.class, () -> ArchiveExtractor.extract(zip, target, MIB, 500));
        assertTrue(refused.getMessage().contains("more than 500 entries"), refused.getMessage());
        try (Stream<Path> files = Files.list(target)) {
            assertTrue(files.count() <= 500);
        }
    }

    @Test
    void aRefusedFetchDeletesItsWorkFolder() throws IOException {
        Path zip = temp.resolve("models/bomb.zip");
        Files.createDirectories(zip.getParent());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("model.onnx"));
            out.write(new byte[4 * MIB]);
        }
        Path work = temp.resolve("work");
        SourcePolicy policy = SourcePolicy.defaults().withFileRoots(List.of(zip.getParent())).withMaxBytes(MIB);
        assertThrows(UnsafeModelException.class, () -> new ModelFetcher(policy).fetch(zip.toUri(), null, work));
        assertFalse(Files.exists(work), "the partly extracted archive is gone");
    }
}
