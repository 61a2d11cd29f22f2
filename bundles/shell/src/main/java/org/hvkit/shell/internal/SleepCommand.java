package org.hvkit.shell.internal;

import java.math.BigDecimal;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;

/** {@code sleep <seconds>}: Gogo has no sleep; scripts need one ({@code xl create ...; sleep 3; xl list}). */
@Component(service = SleepCommand.class, immediate = true)
@GogoCommand(scope = "hvkit", function = "sleep")
public final class SleepCommand {

    @Descriptor("pause for a number of seconds; fractions are allowed, e.g. sleep 0.5")
    public void sleep(@Descriptor("seconds, a non-negative decimal number") String seconds)
            throws InterruptedException {
        long nanos = parseSeconds(seconds);
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** Parses {@code 3}, {@code 0.5}, {@code .25} into nanoseconds; rejects anything else. */
    static long parseSeconds(String text) {
        String s = text == null ? "" : text.strip();
        if (!s.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
            throw new IllegalArgumentException("sleep: invalid time interval '" + text + "'");
        }
        BigDecimal ns = new BigDecimal(s).movePointRight(9);
        if (ns.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("sleep: time interval too large '" + text + "'");
        }
        return ns.longValue();
    }
}
