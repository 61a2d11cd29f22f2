package org.hvkit.scenario.internal;

import java.util.function.Consumer;

/** One drawing of a known size, rendered on demand as SVG text or PNG bytes. */
public record Figure(int width, int height, Consumer<Canvas> drawing) {
    public String svg() {
        Svg s = new Svg(width, height);
        drawing.accept(s);
        return s.toString();
    }

    public byte[] png() {
        Png p = new Png(width, height);
        drawing.accept(p);
        return p.bytes();
    }
}
