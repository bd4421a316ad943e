package dev.capstan.serve.fetch;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Confines local model paths to the server's model roots. A path must lie inside a root both as
 * written (after {@code ..} is resolved; a path outside is refused without looking at the disk)
 * and as its real path (after every link is followed), so neither {@code ..}, a symbolic link nor
 * {@code /proc/self/root} leads out of a root. A root given through a link counts in both forms.
 * Messages name the path asked for, never what lies around it.
 */
public final class FileRoots {
    private FileRoots() {
    }

    /** The real path of {@code requested} when it lies inside one of {@code roots}; refused otherwise. */
    public static Path confine(Path requested, List<Path> roots) throws UnsafeModelException {
        if (roots.isEmpty()) {
            throw new UnsafeModelException("local model paths are off: this server has no model roots");
        }
        Path written = requested.toAbsolutePath().normalize();
        List<Path> rootForms = forms(roots);
        if (rootForms.stream().noneMatch(written::startsWith)) {
            throw outside(requested);
        }
        Path real;
        try {
            real = written.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnsafeModelException(requested + " does not exist");
        } catch (IOException e) {
            throw new UnsafeModelException(requested + " cannot be read");
        }
        if (realRoots(roots).stream().noneMatch(real::startsWith)) {
            throw outside(requested);
        }
        return real;
    }

    private static UnsafeModelException outside(Path requested) {
        return new UnsafeModelException(requested + " is not inside a model root; local models must lie under "
                + "--model-root, --model-dir or --repository-dir");
    }

    /** Each root as written and as its real path, so a root reached through a link matches either way. */
    private static List<Path> forms(List<Path> roots) {
        List<Path> forms = new ArrayList<>();
        for (Path root : roots) {
            forms.add(root.toAbsolutePath().normalize());
        }
        forms.addAll(realRoots(roots));
        return forms;
    }

    private static List<Path> realRoots(List<Path> roots) {
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                // a root that does not exist (yet) holds nothing
            }
        }
        return real;
    }
}
