package dev.capstan.serve.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Narrowing to bfloat16 as torch.tensor(x, dtype=torch.float32).to(torch.bfloat16) does (bits checked with torch 1.13; the one past halfway is 1.0039063692092896). */
class BFloat16Test {
    @Test
    void roundsToNearestTiesToEven() {
        float[][] cases = {
                // value, bfloat16 bits
                {1.0f, 0x3f80},
                {1.00390625f, 0x3f80},    // halfway, goes down to the even neighbour
                {1.01171875f, 0x3f82},    // halfway, goes up to the even neighbour
                {Math.nextUp(1.00390625f), 0x3f81}, // just past halfway
                {-2.5e38f, 0xff3c},
                {-0.0f, 0x8000},
                {Float.MAX_VALUE, 0x7f80}, // rounds past the largest bfloat16 to infinity
                {Float.NEGATIVE_INFINITY, 0xff80},
                {1e-40f, 0x0001},          // subnormal
        };
        for (float[] c : cases) {
            assertEquals((int) c[1], BFloat16.fromFloat(c[0]) & 0xffff, Float.toString(c[0]));
        }
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.NaN))));
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.intBitsToFloat(0x7f800001)))), "a NaN whose payload is all low bits stays NaN");
        assertEquals(1.0078125f, BFloat16.toFloat((short) 0x3f81));
    }
}
