package dev.capstan.serve.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Brings a model from a {@code file://} or {@code http(s)://} URI into a local directory, under a
 * {@link SourcePolicy}: allowed schemes only, local paths inside the file roots only, no internal
 * addresses (checked again on every redirect), size and entry caps held while writing, a timeout,
 * an optional sha256, archives extracted safely, and nothing left behind when a fetch fails.
 */
public final class ModelFetcher {
    private final SourcePolicy policy;
    private final HttpClient http;

    public ModelFetcher(SourcePolicy policy) {
        this.policy = policy;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(policy.timeout()).build();
    }

    /**
     * Returns a directory holding the model. {@code work} is an absent or empty folder this fetch may
     * write to (downloads, extractions); when the fetch fails, {@code work} is deleted with whatever
     * was written there. A {@code file://} directory inside the file roots is returned as it is.
     */
    public Path fetch(URI uri, String sha256, Path work) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!policy.schemes().contains(scheme)) {
            throw new UnsafeModelException("scheme '" + scheme + "' is not allowed; allowed: " + policy.schemes());
        }
        if (scheme.equals("file")) {
            Path source = FileRoots.confine(localPath(uri), policy.fileRoots());
            if (Files.isDirectory(source)) {
                return source;
            }
            return cleaningUpOnFailure(work, () -> place(source, sha256, work));
        }
        return cleaningUpOnFailure(work, () -> {
            Path download = Files.createTempFile(Files.createDirectories(work), "download-", ".part");
            try {
                String fileName = download(uri, download);
                Path named = Files.move(download, download.resolveSibling(fileName));
                try {
                    return place(named, sha256, work.resolve("model"));
                } finally {
                    Files.deleteIfExists(named);
                }
            } finally {
                Files.deleteIfExists(download);
            }
        });
    }

    private interface Placing {
        Path run() throws IOException;
    }

    private static Path cleaningUpOnFailure(Path work, Placing placing) throws IOException {
        try {
            return placing.run();
        } catch (IOException | RuntimeException e) {
            try {
                WorkArea.delete(work);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Path localPath(URI uri) throws UnsafeModelException {
        try {
            return Path.of(uri);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new UnsafeModelException("file URI " + uri + " must have the form file:///absolute/path");
        }
    }

    private Path place(Path file, String sha256, Path target) throws IOException {
        if (Files.size(file) > policy.maxBytes()) {
            throw new UnsafeModelException(file.getFileName() + " is larger than the cap of " + policy.maxBytes() + " bytes");
        }
        if (sha256 != null && !sha256.isEmpty()) {
            verify(file, sha256);
        }
        Files.createDirectories(target);
        if (ArchiveExtractor.isArchive(file)) {
            ArchiveExtractor.extract(file, target, policy.maxBytes(), policy.maxEntries());
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                copyCapped(in, target.resolve(file.getFileName().toString()));
            }
        }
        return target;
    }

    /** Downloads to {@code into}, following redirects by hand so each hop is checked; returns a safe file name. */
    private String download(URI start, Path into) throws IOException {
        URI uri = start;
        for (int hop = 0; hop <= policy.maxRedirects(); hop++) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || !policy.schemes().contains(scheme)) {
                throw new UnsafeModelException("redirect to " + uri + " leaves the allowed schemes");
            }
            AddressCheck.check(uri, policy);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(policy.timeout()).GET().build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + uri, e);
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                response.body().close();
                String location = response.headers().firstValue("location").orElse(null);
                if (location == null) {
                    throw new IOException(uri + " redirected without a location");
                }
                uri = uri.resolve(location);
                continue;
            }
            if (status != 200) {
                response.body().close();
                throw new IOException("fetching " + uri + " answered HTTP " + status);
            }
            long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > policy.maxBytes()) {
                response.body().close();
                throw new UnsafeModelException(uri + " is " + declared + " bytes, over the cap of " + policy.maxBytes());
            }
            copyCapped(response.body(), into);
            return fileName(uri);
        }
        throw new IOException(start + " redirected more than " + policy.maxRedirects() + " times");
    }

    /** Copies {@code body} to {@code into}, counting every chunk before it is written. */
    private void copyCapped(InputStream body, Path into) throws IOException {
        try (InputStream in = body; OutputStream out = Files.newOutputStream(into)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                total += n;
                if (total > policy.maxBytes()) {
                    throw new UnsafeModelException("the model is larger than the cap of " + policy.maxBytes() + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.matches("[A-Za-z0-9._-]{1,128}") && !last.startsWith(".") ? last : "model.bin";
    }

    private static void verify(Path file, String expected) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new UnsafeModelException("sha256 of " + file.getFileName() + " is " + actual + ", expected " + expected);
        }
    }
}
