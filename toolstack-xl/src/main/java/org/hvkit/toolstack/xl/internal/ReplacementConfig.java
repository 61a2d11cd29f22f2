package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;

/**
 * The configuration that replaces a saved domain's own: {@code xl restore CONFIG FILE} and
 * {@code xl migrate -C CONFIG}. Parsed as {@code xl create} parses a file (4.2's
 * parse_config_data on the file's text), without NUMA placement: the saved vCPUs keep their
 * affinities.
 */
final class ReplacementConfig {
    private ReplacementConfig() {
    }

    /** The text could not be parsed or mapped: what was wrong has been printed. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid() {
            super(null, null, false, false);
        }
    }

    /** Parses {@code text} (read from {@code source}); prints the parser's messages as create does and throws {@link Invalid}. */
    static DomainConfig parse(Hypervisor hv, String source, String text, PrintStream err) throws Invalid {
        try {
            XlCfg parsed = XlCfgParser.parse(source, text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
            ConfigMapper mapper = new ConfigMapper(parsed, hv.physInfo().topology(), name -> hv.findDomain(name).map(DomainInfo::id).orElse(null));
            DomainConfig cfg = mapper.map(false);
            mapper.warnings.forEach(err::println);
            return cfg;
        } catch (XlCfgParser.ParseException e) {
            err.println(e.getMessage());
            err.println("Failed to parse config: Invalid argument");
            throw new Invalid();
        } catch (ConfigMapper.ConfigException e) {
            err.println(e.getMessage());
            throw new Invalid();
        }
    }
}
