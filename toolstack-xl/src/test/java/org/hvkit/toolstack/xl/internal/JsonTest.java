package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.LifecycleAction;
import org.junit.jupiter.api.Test;

/** Json writes what libxl's *_to_json and yajl 1.0.x's beautifying generator print. */
class JsonTest {
    @Test
    void emptyArraysAndMapsAreOpenNewlineEmptyLineIndentClose() {
        assertEquals("[\n\n]", Json.write(List.of()));
        assertEquals("{\n\n}", Json.write(Map.of()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vfbs", List.of());
        m.put("b", Map.of("platform_options", Map.of()));
        assertEquals("{\n    \"vfbs\": [\n\n    ],\n    \"b\": {\n        \"platform_options\": {\n\n        }\n    }\n}", Json.write(m));
    }

    @Test
    void controlCharactersAreEscapedWithUppercaseHex() {
        assertEquals("\"a\\u001Fb\\u000B\\u0001\\n\\t\\\"\\\\\"", Json.write("a\u001fb\u000b\u0001\n\t\"\\"));
        assertEquals("\"\u007f\u00e9\"", Json.write("\u007f\u00e9"), "DEL and non-ASCII pass through");
    }

    @Test
    void enumsAreLowercaseIdlNames() {
        assertEquals("[\n    \"qdisk\",\n    \"vif_ioemu\",\n    \"qcow2\"\n]",
                Json.write(List.of(DiskSpec.Backend.QDISK, VifSpec.NicType.VIF_IOEMU, DiskSpec.Format.QCOW2)));
        assertEquals("restart_rename", ConfigMapper.idlName(LifecycleAction.RENAME_RESTART));
        assertEquals("coredump_destroy", ConfigMapper.idlName(LifecycleAction.COREDUMP_DESTROY));
    }
}
