package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.InferRequest;
import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServeStatus;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-level reader answers exactly as Jackson's reading does wherever it answers, and leaves
 * everything else (errors included) to it.
 */
class InferRequestScannerTest {
    private static final String[] EDGES = {"0", "-0", "0.0", "-0.0", "1", "-1", "1.5e3", "1.5E3", "2.5e+2", "1e-3", "1E-10",
            "1e10", "1e11", "1e22", "1e23", "1e38", "3.4028235e38", "3.4028236e38", "1e39", "1e400", "-1e400", "1e-400",
            "1.4e-45", "5e-324", "0.1", "0.30000000000000004", "16777215", "16777216", "16777217", "127", "128", "-128",
            "-129", "255", "256", "32767", "32768", "-32768", "-32769", "65535", "65536", "2147483647", "2147483648",
            "-2147483648", "-2147483649", "4294967295", "4294967296", "999999999999999999", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "0.000000000000000000000000000001", "1.00000000000000000000001", "9007199254740993",
            "NaN", "Infinity", "-Infinity", "+1", "01", "-01", "00", ".5", "5.", "1e", "1e+", "-", "1.5x", "0x10",
            "true", "false", "null", "\"1\"", "1.0", "1e2", "-0e0"};

    @Test
    void agreesWithJacksonOnEveryDatatypeAndEdge() {
        Random random = new Random(7);
        List<String> literals = new ArrayList<>(List.of(EDGES));
        for (int k = 0; k < 2000; k++) {
            literals.add(switch (k % 4) {
                case 0 -> Float.toString((float) random.nextGaussian() * 100);
                case 1 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(80) - 40));
                case 2 -> String.format(Locale.ROOT, "%.6f", random.nextDouble() * 2 - 1);
                default -> Long.toString(random.nextLong() >> random.nextInt(64));
            });
        }
        int handled = 0;
        for (DataType type : DataType.values()) {
            for (String literal : literals) {
                handled += compare(body(type.name(), "[1]", "[" + literal + "]")) ? 1 : 0;
            }
        }
        assertTrue(handled > 5_000, "most literals are read here: " + handled);
    }

    @Test
    void readsTheCommonFormWithoutJackson() {
        StringBuilder data = new StringBuilder();
        for (int k = 0; k < 784; k++) {
            data.append(k == 0 ? "" : ", ").append((float) ((k * 7919) % 1000) / 1000f);
        }
        assertTrue(compare(body("FP32", "[1, 784]", "[" + data + "]")));
        assertTrue(compare("{\"id\": \"r1\", \"inputs\": [{\"name\": \"a\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [[1, 2], [3, 4]]},"
                + " {\"name\": \"b\", \"datatype\": \"fp64\", \"shape\": [2], \"data\": [0.5, -2e-3]}],"
                + " \"outputs\": [{\"name\": \"y\"}, {\"name\": \"z\"}]}"));
        assertTrue(compare(" \n{\t\"inputs\" :[ {\"name\":\"a\",\"shape\":[ 3 ],\"datatype\":\"BOOL\",\"data\":[ true ,false,[ ],[true]] } ] }\r\n"));
        assertTrue(compare(body("FP32", "[]", "7.5")));
    }

    @Test
    void negativeZeroAndExponentsAreExact() {
        Tensor t = scan(body("FP32", "[4]", "[-0, -0.0, 1.5e3, 25E-1]")).inputs().get(0);
        assertArrayEquals(new float[] {-0.0f, -0.0f, 1500f, 2.5f}, t.toFloats());
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(t.toFloats()[0]));
        assertEquals(0, scan(body("INT32", "[1]", "[-0]")).inputs().get(0).data().getInt(0));
    }

    @Test
    void nonNumbersAreLeftToJacksonWhichAcceptsThemAsBefore() {
        for (String literal : new String[] {"NaN", "Infinity", "-Infinity"}) {
            String body = body("FP32", "[1]", "[" + literal + "]");
            assertNull(scan(body), literal);
            float value = InferRequestJson.parse(bytes(body), 0, bytes(body).length).inputs().get(0).toFloats()[0];
            assertEquals(Float.parseFloat(literal), value, literal);
        }
    }

    @Test
    void integersOutOfRangeOrWithFractionsAreBadRequests() {
        String[][] bad = {{"INT8", "128"}, {"INT8", "-129"}, {"UINT8", "-1"}, {"UINT8", "256"}, {"INT16", "32768"},
                {"UINT16", "65536"}, {"INT32", "2147483648"}, {"UINT32", "4294967296"}, {"INT64", "9223372036854775808"},
                {"INT32", "1.0"}, {"INT32", "1e2"}, {"INT32", "01"}, {"FP32", "01"}, {"FP32", "1.5x"}, {"BOOL", "1"}};
        for (String[] c : bad) {
            String body = body(c[0], "[1]", "[" + c[1] + "]");
            assertNull(scan(body), c[0] + " " + c[1]);
            ServeException e = assertThrows(ServeException.class, () -> InferRequestJson.parse(bytes(body), 0, bytes(body).length), c[0] + " " + c[1]);
            assertEquals(ServeStatus.BAD_REQUEST, e.status());
        }
        byte[] largest = bytes(body("INT64", "[1]", "[9223372036854775807]"));
        assertEquals(Long.MAX_VALUE, InferRequestJson.parse(largest, 0, largest.length).inputs().get(0).data().getLong(0));
    }

    @Test
    void otherFormsAndMismatchesAreLeftToJackson() {
        String[] others = {
            "{\"inputs\": [{\"name\": \"a\", \"data\": [1], \"shape\": [1], \"datatype\": \"FP32\"}]}",
            "{\"inputs\": [{\"name\": \"a\\u0062\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
            "{\"parameters\": {\"x\": 1}, \"inputs\": [{\"name\": \"a\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
            "{\"inputs\": [{\"name\": \"a\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"x\"]}]}",
            "{\"inputs\": [{\"name\": \"a\", \"shape\": [1], \"datatype\": \"UINT64\", \"data\": [1]}]}",
            body("FP32", "[2]", "[1]"), body("FP32", "[1]", "[1, 2]"), body("FP32", "[-1]", "[1]"),
            body("FP32", "[9223372036854775807, 2]", "[1]"), body("FP31", "[1]", "[1]"),
            body("FP32", "[1]", "[1]") + "x", body("FP32", "[1]", "[1]").replace("}]}", "}]"), "{}", "",
        };
        for (String body : others) {
            assertNull(scan(body), body);
            compare(body);
        }
    }

    /** Reads {@code body} both ways; true when the scanner answered (and then exactly as Jackson did). */
    private static boolean compare(String body) {
        byte[] bytes = bytes(body);
        InferRequest scanned = InferRequestScanner.read(bytes, 0, bytes.length);
        InferRequest tokens;
        try {
            tokens = InferRequestJson.parseTokens(bytes, 0, bytes.length);
        } catch (ServeException e) {
            assertEquals(ServeStatus.BAD_REQUEST, e.status(), body);
            assertNull(scanned, "the scanner accepted what Jackson refuses: " + body + " (" + e.getMessage() + ")");
            return false;
        }
        if (scanned == null) {
            return false;
        }
        assertNotNull(tokens);
        assertEquals(tokens.id(), scanned.id(), body);
        assertEquals(tokens.outputs(), scanned.outputs(), body);
        assertEquals(tokens.inputs().size(), scanned.inputs().size(), body);
        for (int k = 0; k < tokens.inputs().size(); k++) {
            Tensor a = tokens.inputs().get(k);
            Tensor b = scanned.inputs().get(k);
            assertEquals(a.name(), b.name(), body);
            assertEquals(a.type(), b.type(), body);
            assertArrayEquals(a.shape(), b.shape(), body);
            assertEquals(a.data(), b.data(), body);
        }
        return true;
    }

    private static InferRequest scan(String body) {
        return InferRequestScanner.read(bytes(body), 0, bytes(body).length);
    }

    private static String body(String type, String shape, String data) {
        return "{\"inputs\": [{\"name\": \"x\", \"shape\": " + shape + ", \"datatype\": \"" + type + "\", \"data\": " + data + "}]}";
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
