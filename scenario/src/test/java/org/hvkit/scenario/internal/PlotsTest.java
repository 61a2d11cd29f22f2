package org.hvkit.scenario.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class PlotsTest {
    /** Two series whose names agree in their first 30 characters: the old legend cut both to the same label. */
    static final String A = "credit2-ratelimit-1000us-tslice: latency-sensitive", B = "credit2-ratelimit-1000us-tslice: latency-batch";

    static Map<String, double[][]> series() {
        Map<String, double[][]> m = new LinkedHashMap<>();
        for (String name : List.of(A, B)) {
            LatencyHistogram h = new LatencyHistogram();
            for (int i = 0; i < 100_000; i++) h.record(9_000 + (i % 1000) * 10 + (i % 1000 == 999 && i % 7 == 0 ? 5_000_000 : 0));
            m.put(name, h.cdf());
        }
        return m;
    }

    static Document xml(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static List<String> texts(Document d) {
        NodeList n = d.getElementsByTagName("text");
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) t.add(n.item(i).getTextContent());
        return t;
    }

    static void pngReadsBack(Figure f) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.png()));
        assertNotNull(img, "PNG did not decode");
        assertEquals(f.width(), img.getWidth());
        assertEquals(f.height(), img.getHeight());
        boolean ink = false; // something other than the white background was drawn
        for (int x = 0; x < img.getWidth() && !ink; x += 3) for (int y = 0; y < img.getHeight() && !ink; y += 3) ink = (img.getRGB(x, y) & 0xffffff) != 0xffffff;
        assertTrue(ink, "PNG is blank");
    }

    @Test
    void legendShowsFullDistinctLabels() throws Exception {
        Figure f = Plots.latencyCdf("cmp", series());
        List<String> t = texts(xml(f.svg()));
        assertTrue(t.contains(A), t.toString());
        assertTrue(t.contains(B), t.toString());
        pngReadsBack(f);
    }

    @Test
    void cdfAxisStartsNearTheDataMinimum() throws Exception {
        double[] xr = Plots.xRange(series());
        assertEquals(5, xr[0], 1e-9, "data minimum is 9 us: the axis starts at the 1-2-5 step below it, not a decade under");
        assertTrue(xr[1] >= 5_000 && xr[1] <= 10_000, "top " + xr[1]);
        List<String> t = texts(xml(Plots.latencyCdf("cdf", series()).svg()));
        assertTrue(t.contains("5 us") && !t.contains("1 us"), t.toString());
    }

    @Test
    void tailViewShowsP99AndP999OnLogLogAxes() throws Exception {
        Figure f = Plots.latencyTail("tail", series());
        Document d = xml(f.svg());
        List<String> t = texts(d);
        assertTrue(t.containsAll(List.of("1", "1e-2", "1e-3", "p99", "p99.9")), t.toString());
        // 1 in 7000 values is ~5 ms: the tail must reach below the 1e-3 line, i.e. the lower half of a 0..-4 axis
        assertTrue(Plots.tailFloor(series()) <= -4, "floor " + Plots.tailFloor(series()));
        NodeList lines = d.getElementsByTagName("polyline");
        double lowest = 0;
        for (int i = 0; i < lines.getLength(); i++)
            for (String p : lines.item(i).getAttributes().getNamedItem("points").getNodeValue().split(" ")) lowest = Math.max(lowest, Double.parseDouble(p.split(",")[1]));
        assertTrue(lowest > 40 + 390 * 3 / 4.0 - 1, "the tail line stops above 1e-3: lowest y " + lowest);
        pngReadsBack(f);
    }

    @Test
    void shareOverTimeSaysItsWindowAndGivesEachSeriesAPanel() throws Exception {
        List<RunResult.Series> s = List.of(new RunResult.Series(A, 0.1, new double[] {0.5, 0.6, 0.4}, new double[] {0.5, 0.5, 0.5}),
                new RunResult.Series(B, 0.1, new double[] {1.5, 1.4, 1.6}, new double[] {1.5, 1.5, 1.5}));
        Figure f = Plots.shareOverTime("run", s);
        Document d = xml(f.svg());
        List<String> t = texts(d);
        assertTrue(t.stream().anyMatch(x -> x.startsWith("run") && x.contains("100 ms window")), t.toString());
        assertTrue(t.stream().anyMatch(x -> x.startsWith("time after warm-up") && x.contains("100 ms window")), t.toString());
        assertTrue(t.contains(A) && t.contains(B), t.toString());
        assertEquals(2 + 1, d.getElementsByTagName("rect").getLength(), "one panel per series plus the background");
        pngReadsBack(f);
    }

    @Test
    void controlCharactersInNamesStillGiveWellFormedSvg() throws Exception {
        Map<String, double[][]> m = Map.of("bad\u0001name<&>", new double[][] {{1000, 1.0}});
        xml(Plots.latencyCdf("t\u001b[31m", m).svg());
        xml(Plots.latencyTail("t", Map.of()).svg());
    }
}
