package dev.capstan.serve.batch;

import dev.capstan.serve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Stacks requests' inputs along the first dimension. */
final class BatchAssembly {
    private BatchAssembly() {
    }

    /** The shared first dimension of a request's inputs, or -1 when they have none in common. */
    static long rowsOf(List<Tensor> inputs) {
        long rows = -1;
        for (Tensor input : inputs) {
            if (input.rank() == 0) {
                return -1;
            }
            if (rows >= 0 && input.dim(0) != rows) {
                return -1;
            }
            rows = input.dim(0);
        }
        return rows;
    }

    /** True when two requests carry the same inputs, in the same order, differing only in their first dimension. */
    static boolean compatible(List<Tensor> a, List<Tensor> b) {
        if (a.size() != b.size() || rowsOf(b) <= 0) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).stacksWith(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static List<Tensor> stack(List<List<Tensor>> requests) {
        List<Tensor> stacked = new ArrayList<>();
        for (int i = 0; i < requests.get(0).size(); i++) {
            List<Tensor> parts = new ArrayList<>(requests.size());
            for (List<Tensor> request : requests) {
                parts.add(request.get(i));
            }
            stacked.add(Tensor.concat(parts));
        }
        return stacked;
    }
}
