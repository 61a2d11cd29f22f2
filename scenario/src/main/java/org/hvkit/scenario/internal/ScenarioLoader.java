package org.hvkit.scenario.internal;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hvkit.scenario.internal.ScenarioSpec.DomainSpec;
import org.hvkit.scenario.internal.ScenarioSpec.PoolOverride;
import org.hvkit.scenario.internal.ScenarioSpec.PoolSpec;
import org.hvkit.scenario.internal.ScenarioSpec.VariantSpec;

/** Reads scenario files (JSON with comments and trailing commas) and expands their variants. */
public final class ScenarioLoader {
    /** One runnable configuration: the scenario with one variant merged in. */
    public record Run(String variant, ScenarioSpec spec) {
    }

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ScenarioLoader() {}

    public static ScenarioSpec load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            ScenarioSpec s = read(in, file.toString());
            if (s.name == null) {
                String f = file.getFileName().toString();
                s.name = f.endsWith(".json") ? f.substring(0, f.length() - 5) : f;
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ScenarioSpec read(InputStream in, String where) throws IOException {
        try {
            ScenarioSpec s = MAPPER.readValue(in, ScenarioSpec.class);
            validate(s);
            return s;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(where + ": " + e.getOriginalMessage() + location(e), e);
        }
    }

    private static String location(com.fasterxml.jackson.core.JacksonException e) {
        var l = e.getLocation();
        return l == null ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    static void validate(ScenarioSpec s) {
        if (s.domains.isEmpty()) throw new IllegalArgumentException("scenario " + s.name + ": no domains");
        Set<String> names = new HashSet<>();
        for (DomainSpec d : s.domains) {
            if (d.name == null || d.name.isBlank()) throw new IllegalArgumentException("a domain has no name");
            if (!names.add(d.name)) throw new IllegalArgumentException("domain name " + d.name + " appears twice");
            if (d.count < 1 || d.vcpus < 1) throw new IllegalArgumentException("domain " + d.name + ": count and vcpus must be at least 1");
            Durations.demand(d.workload); // fails early on a bad workload
        }
        Durations.parseNs(s.duration, "duration");
        Durations.parseNs(s.warmup, "warmup");
    }

    /** The runs of a scenario: one per variant, or the scenario itself when it has none. */
    public static List<Run> expand(ScenarioSpec base) {
        List<Run> runs = new ArrayList<>();
        if (base.variants.isEmpty()) {
            runs.add(new Run("", copy(base)));
            return runs;
        }
        for (VariantSpec v : base.variants) runs.add(new Run(v.name == null ? "v" + runs.size() : v.name, apply(base, v)));
        return runs;
    }

    static ScenarioSpec copy(ScenarioSpec s) {
        ScenarioSpec c = MAPPER.convertValue(s, ScenarioSpec.class);
        c.variants = new ArrayList<>();
        return c;
    }

    static ScenarioSpec apply(ScenarioSpec base, VariantSpec v) {
        ScenarioSpec s = copy(base);
        if (s.pools.isEmpty()) s.pools.add(new PoolSpec());
        for (PoolSpec p : s.pools) {
            if (v.scheduler != null) p.scheduler = v.scheduler;
            PoolOverride o = v.pools.get(p.name);
            if (o != null) {
                if (o.scheduler != null) p.scheduler = o.scheduler;
                if (o.params != null) p.params.putAll(o.params);
            }
        }
        for (String pool : v.pools.keySet()) {
            if (s.pools.stream().noneMatch(p -> p.name.equals(pool))) throw new IllegalArgumentException("variant " + v.name + ": no pool " + pool);
        }
        for (Map.Entry<String, Map<String, Object>> e : v.domains.entrySet()) {
            DomainSpec d = s.domains.stream().filter(x -> x.name.equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("variant " + v.name + ": no domain " + e.getKey()));
            try {
                MAPPER.readerForUpdating(d).readValue((com.fasterxml.jackson.databind.JsonNode) MAPPER.valueToTree(e.getValue()));
            } catch (IOException ex) {
                throw new IllegalArgumentException("variant " + v.name + ", domain " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        if (v.duration != null) s.duration = v.duration;
        if (v.seed != null) s.seed = v.seed;
        validate(s);
        return s;
    }
}
