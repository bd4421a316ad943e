package dev.capstan.serve.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Refuses model files that Python would unpickle (and so run code from): pickle files, joblib
 * dumps, and {@code torch.save} checkpoints. TorchScript archives pass: they are zip files with a
 * {@code code/} folder, read by TorchScript's own loader, which unpickles only tensors and constants.
 */
public final class PickleGuard {
    private static final Set<String> PICKLE_EXTENSIONS = Set.of(".pkl", ".pickle", ".joblib", ".dill", ".pth", ".ckpt");

    private PickleGuard() {
    }

    /** Throws {@link UnsafeModelException} when {@code file} is pickle-based. */
    public static void check(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String extension : PICKLE_EXTENSIONS) {
            if (name.endsWith(extension)) {
                throw new UnsafeModelException(file.getFileName() + " is a pickle-based format, which can run code when loaded; "
                        + "export the model to ONNX or TorchScript (torch.jit.save)");
            }
        }
        byte[] head = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        if (read >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5 && !isSafetensors(file, name)) {
            throw new UnsafeModelException(file.getFileName() + " is a Python pickle, which can run code when loaded");
        }
        boolean zip = read == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        if (zip && name.endsWith(".pt") && !hasTorchScriptCode(file)) {
            throw new UnsafeModelException(file.getFileName() + " is a torch.save checkpoint (pickled), not TorchScript; "
                    + "save it with torch.jit.save instead");
        }
    }

    /**
     * A safetensors file starts with its JSON header's length as 8 little-endian bytes, which reads as
     * a pickle protocol marker when the length is 640, 896, 1152 or 1408: the header must then open
     * with '{' and fit in the file. Safetensors holds only JSON and raw numbers.
     */
    private static boolean isSafetensors(Path file, String name) throws IOException {
        if (!name.endsWith(".safetensors")) {
            return false;
        }
        byte[] head = new byte[9];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) < head.length) {
                return false;
            }
        }
        long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return head[8] == '{' && headerLength > 0 && headerLength <= Files.size(file) - 8;
    }

    private static boolean hasTorchScriptCode(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().map(ZipEntry::getName).anyMatch(n -> n.contains("/code/") || n.startsWith("code/"));
        }
    }
}
