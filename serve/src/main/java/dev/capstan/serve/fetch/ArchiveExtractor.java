package dev.capstan.serve.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts .zip, .tar and .tar.gz archives so that no entry lands outside the target directory:
 * absolute names, {@code ..} segments, links and device entries are refused. Caps hold while
 * writing: an entry whose declared size does not fit in what is left of the size cap is refused
 * before a byte of it is written, every byte is counted before it is written (so an archive cannot
 * inflate past the cap), and the entry past the entry cap is refused before it is created. What
 * was written before a refusal stays for the caller to delete with its work folder.
 */
public final class ArchiveExtractor {
    private ArchiveExtractor() {
    }

    public static boolean isArchive(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".zip") || name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz");
    }

    public static void extract(Path archive, Path target, long maxBytes, int maxEntries) throws IOException {
        Files.createDirectories(target);
        String name = archive.getFileName().toString();
        Budget budget = new Budget(maxBytes, maxEntries);
        if (name.endsWith(".zip")) {
            try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    write(zip, target, entry.getName(), entry.isDirectory(), entry.getSize(), budget);
                }
            }
            return;
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        InputStream in = name.endsWith(".tar") ? raw : new GZIPInputStream(raw);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw new UnsafeModelException("archive entry '" + entry.getName() + "' is a link or device; only files and folders are allowed");
                }
                write(tar, target, entry.getName(), entry.isDirectory(), entry.getSize(), budget);
            }
        }
    }

    private static void write(InputStream in, Path target, String entryName, boolean directory, long declaredSize, Budget budget)
            throws IOException {
        Path destination = destination(target, entryName);
        if (!directory && destination.equals(target.toAbsolutePath().normalize())) {
            throw new UnsafeModelException("archive entry '" + entryName + "' has no file name");
        }
        budget.enter(entryName, directory ? 0 : declaredSize);
        if (directory) {
            Files.createDirectories(destination);
            return;
        }
        Files.createDirectories(destination.getParent());
        try (OutputStream out = Files.newOutputStream(destination)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                budget.spend(entryName, n);
                out.write(buffer, 0, n);
            }
        }
    }

    static Path destination(Path target, String entryName) throws UnsafeModelException {
        if (entryName.isEmpty() || entryName.startsWith("/") || entryName.startsWith("\\") || entryName.contains(":")
                || entryName.contains("\\")) {
            throw new UnsafeModelException("archive entry '" + entryName + "' has an absolute or foreign path");
        }
        for (String segment : entryName.split("/")) {
            if (segment.equals("..")) {
                throw new UnsafeModelException("archive entry '" + entryName + "' escapes the target directory");
            }
        }
        Path root = target.toAbsolutePath().normalize();
        Path destination = root.resolve(entryName).normalize();
        if (!destination.startsWith(root)) {
            throw new UnsafeModelException("archive entry '" + entryName + "' escapes the target directory");
        }
        return destination;
    }

    /** What is left of the size and entry caps. */
    private static final class Budget {
        private final long maxBytes;
        private final int maxEntries;
        private long bytesLeft;
        private int entries;

        Budget(long maxBytes, int maxEntries) {
            this.maxBytes = maxBytes;
            this.maxEntries = maxEntries;
            this.bytesLeft = maxBytes;
        }

        /** Counts an entry about to be created; its declared size (-1: unknown) must fit in what is left. */
        void enter(String entryName, long declaredSize) throws UnsafeModelException {
            if (++entries > maxEntries) {
                throw new UnsafeModelException("archive has more than " + maxEntries + " entries, the cap");
            }
            if (declaredSize > bytesLeft) {
                throw new UnsafeModelException("archive entry '" + entryName + "' declares " + declaredSize
                        + " bytes, past the size cap of " + maxBytes + " bytes");
            }
        }

        void spend(String entryName, long bytes) throws UnsafeModelException {
            bytesLeft -= bytes;
            if (bytesLeft < 0) {
                throw new UnsafeModelException("archive extracts to more than the size cap of " + maxBytes
                        + " bytes (at entry '" + entryName + "')");
            }
        }
    }
}
