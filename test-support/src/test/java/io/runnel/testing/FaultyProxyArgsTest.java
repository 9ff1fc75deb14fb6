package io.runnel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FaultyProxyArgsTest {
    @Test
    void parsesEveryOption() {
        FaultyProxyArgs args = FaultyProxyArgs.parse("--listen", "4568", "--target", "localhost:4567",
                "--reset-mean-bytes", "2_000_000", "--seed", "-42", "--chunk-delay-ms", "5");
        assertEquals(new FaultyProxyArgs(4568, "localhost", 4567, new Faults(2_000_000, -42, 5)), args);
    }

    @Test
    void defaultsToAFreePortNoFaultsAndARandomSeed() {
        FaultyProxyArgs args = FaultyProxyArgs.parse("--target", "[::1]:80");
        assertEquals(0, args.listenPort());
        assertEquals("::1", args.targetHost());
        assertEquals(80, args.targetPort());
        assertFalse(args.faults().resetsEnabled());
        assertEquals(0, args.faults().chunkDelayMillis());
    }

    @Test
    void badCommandLinesNameTheOption() {
        assertMessage("--target HOST:PORT is required", "--listen", "1");
        assertMessage("--target must be HOST:PORT: 4567", "--target", "4567");
        assertMessage("--target port must be in 1..65535: h:0", "--target", "h:0");
        assertMessage("--listen port must be in 0..65535: 70000", "--listen", "70000", "--target", "h:1");
        assertMessage("--reset-mean-bytes must not be negative: -1", "--target", "h:1", "--reset-mean-bytes", "-1");
        assertMessage("--seed is not a number: x", "--target", "h:1", "--seed", "x");
        assertMessage("--seed needs a value", "--target", "h:1", "--seed");
        assertMessage("unknown option: --bogus", "--bogus", "1");
        assertTrue(FaultyProxyArgs.USAGE.contains("--reset-mean-bytes"));
    }

    private static void assertMessage(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultyProxyArgs.parse(args));
        assertEquals(message, e.getMessage());
    }
}
