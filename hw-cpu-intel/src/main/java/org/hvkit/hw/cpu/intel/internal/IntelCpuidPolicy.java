package org.hvkit.hw.cpu.intel.internal;

import static org.hvkit.api.cpu.CpuidLeaf.EAX;
import static org.hvkit.api.cpu.CpuidLeaf.EBX;
import static org.hvkit.api.cpu.CpuidLeaf.ECX;
import static org.hvkit.api.cpu.CpuidLeaf.EDX;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.hvkit.api.cpu.CpuCache;
import org.hvkit.api.cpu.CpuModel;
import org.hvkit.api.cpu.CpuidLeaf;
import org.hvkit.api.cpu.CpuidPolicy;
import org.hvkit.api.cpu.CpuidResult;
import org.hvkit.api.cpu.DetailedCpuModel;
import org.hvkit.api.cpu.GuestCpuTopology;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The CPUID policy for Intel models. Stateless apart from the models it can resolve by name; every
 * call computes a fresh table.
 *
 * <p>Order of work: start from the model's CPUID features minus {@link Feature#HIDDEN}, plus
 * {@link Feature#ALWAYS_OFFERED}; apply the option's feature settings in order; add x2APIC if an
 * x2APIC id exceeds 254; remove what the host lacks; remove what {@code maxleaf} hides; close over
 * the dependency table; build the leaves; apply numeric keys; apply raw xend bits last.
 */
@Component(service = CpuidPolicy.class)
public final class IntelCpuidPolicy implements CpuidPolicy {
    /** Signature of leaf 0x40000000 (EBX, ECX, EDX): "hvkithvkit" and two NULs. */
    static final String HV_SIGNATURE = "hvkithvkit\0\0";
    /** hvkit's version in leaf 0x40000001 EAX: major << 16 | minor. */
    static final int HV_VERSION = 0 << 16 | 1;
    static final int HV_BASE = 0x40000000, EXT_BASE = 0x80000000, EXT_MAX = 0x80000008;
    /** Where KVM's own paravirt leaves go when the host list carries them. */
    static final int KVM_RELOCATED_BASE = 0x40000100;

    private final Map<String, CpuModel> models = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);

    public IntelCpuidPolicy() {
    }

    /** A policy that knows the built-in named models without OSGi (tests, tools). */
    public static IntelCpuidPolicy withBuiltInModels() {
        IntelCpuidPolicy p = new IntelCpuidPolicy();
        for (IntelCpuModel.Spec s : IntelModels.SPECS.values()) p.models.put(s.name(), new IntelCpuModel(s));
        return p;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addModel(CpuModel model, Map<String, Object> props) {
        String name = String.valueOf(props.getOrDefault(IntelCpuModel.MODEL_PROPERTY, model.name()));
        if (!name.equalsIgnoreCase("host")) models.put(name, model);
    }

    void removeModel(CpuModel model, Map<String, Object> props) {
        String name = String.valueOf(props.getOrDefault(IntelCpuModel.MODEL_PROPERTY, model.name()));
        models.remove(name, model);
    }

    @Override
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    @Override
    public CpuidResult compute(CpuModel model, List<CpuidLeaf> hostSupported, List<String> cpuidOption, GuestCpuTopology topology) {
        if (model == null) throw new IllegalArgumentException("cpuid: no CPU model");
        if (topology == null) throw new IllegalArgumentException("cpuid: no guest topology");
        List<String> names = modelNames();
        CpuidOption opt = CpuidOption.parse(cpuidOption, models::containsKey, names);
        CpuModel base = opt.base == null || opt.base.equals("host") ? model : models.get(opt.base);
        return new Computation(base, new HostView(hostSupported), opt, topology).run();
    }

    /** The host's supported leaves; a null or empty list supports everything. */
    static final class HostView {
        final List<CpuidLeaf> leaves;

        HostView(List<CpuidLeaf> leaves) {
            this.leaves = leaves == null ? List.of() : List.copyOf(leaves);
        }

        boolean known() {
            return !leaves.isEmpty();
        }

        /** Leaves whose output depends on ECX: looked up by subleaf exactly. */
        static boolean indexed(int leaf) {
            return switch (leaf) {
                case 4, 7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1D, 0x1E, 0x1F, 0x20, 0x23, 0x24 -> true;
                default -> false;
            };
        }

        CpuidLeaf find(int leaf, int subleaf) {
            CpuidLeaf any = null;
            for (CpuidLeaf l : leaves) {
                if (l.leaf() != leaf) continue;
                if (l.subleaf() == subleaf) return l;
                if (any == null) any = l;
            }
            return indexed(leaf) ? null : any;
        }

        boolean has(Feature f) {
            if (!known()) return true;
            CpuidLeaf l = find(f.leaf(), f.subleaf());
            return l != null && l.bit(f.reg(), f.bit());
        }

        /** The host's XCR0 mask (0xD.0 EDX:EAX), or -1 if the list does not say. */
        long xcr0() {
            CpuidLeaf l = known() ? find(0xD, 0) : null;
            return l == null ? -1 : (l.eax() & 0xFFFFFFFFL) | (long) l.edx() << 32;
        }
    }

    /** One computation; not shared. */
    private static final class Computation {
        final CpuModel model;
        final DetailedCpuModel detail;
        final HostView host;
        final CpuidOption opt;
        final GuestCpuTopology topo;
        final List<String> warnings = new ArrayList<>();
        final Set<String> features = new LinkedHashSet<>();
        final Set<String> userRemoved = new TreeSet<>();
        final Set<String> modelFeatures = new TreeSet<>();
        final TreeMap<Long, CpuidLeaf> table = new TreeMap<>(Long::compareUnsigned);

        Computation(CpuModel model, HostView host, CpuidOption opt, GuestCpuTopology topo) {
            this.model = model;
            this.detail = model instanceof DetailedCpuModel d ? d : new DetailedCpuModel() {
                @Override public String name() { return model.name(); }
                @Override public String vendor() { return model.vendor(); }
                @Override public int family() { return model.family(); }
                @Override public int model() { return model.model(); }
                @Override public int stepping() { return model.stepping(); }
                @Override public String brand() { return model.brand(); }
                @Override public Set<String> features() { return model.features(); }
                @Override public int mhz() { return model.mhz(); }
                @Override public int[] hwCaps() { return model.hwCaps(); }
            };
            this.host = host;
            this.opt = opt;
            this.topo = topo;
        }

        void warn(String s) {
            warnings.add("cpuid: " + s);
        }

        CpuidResult run() {
            chooseFeatures();
            int maxBasic = maxBasicLeaf();
            hideBeyond(maxBasic);
            closeDependencies();
            checkX2apic();
            build(maxBasic);
            applyNumeric();
            applyRaw();
            long xcr0 = xcr0();
            int size = features.contains("xsave") ? xsaveSize(xcr0) : 0;
            int compacted = features.contains("xsave") && features.contains("xsavec") ? compactedSize(xcr0) : 0;
            Set<String> offered = new TreeSet<>(features);
            offered.removeAll(Feature.GUEST_STATE);
            return new CpuidResult(List.copyOf(table.values()), offered, warnings, features.contains("xsave") ? xcr0 : 0, size, compacted, topo);
        }

        // ---- the feature set ----

        void chooseFeatures() {
            for (String f : model.features()) {
                Feature ft = Feature.byName(f);
                if (ft != null) modelFeatures.add(ft.name());
            }
            for (String f : modelFeatures)
                if (!Feature.HIDDEN.contains(f) && !Feature.GUEST_STATE.contains(f)) features.add(f);
            features.addAll(Feature.ALWAYS_OFFERED);
            Set<String> defaults = new TreeSet<>(features);
            for (CpuidOption.Setting s : opt.settings) {
                String f = s.feature();
                if (Feature.GUEST_STATE.contains(f)) {
                    if (s.value() == '1') {
                        String cr4 = f.equals("osxsave") ? "CR4.OSXSAVE" : "CR4.PKE";
                        warn(f + " follows the guest's " + cr4 + " and cannot be forced on; " + s.source() + " ignored");
                    }
                    continue;
                }
                boolean on = switch (s.value()) {
                    case '1' -> true;
                    case '0' -> false;
                    case 'x' -> defaults.contains(f);
                    default -> host.known() ? host.has(Feature.byName(f)) : modelFeatures.contains(f) || defaults.contains(f);
                };
                if (on) {
                    features.add(f);
                    userRemoved.remove(f);
                } else {
                    features.remove(f);
                    userRemoved.add(f);
                }
            }
            if (topo.maxX2apicId() > 254 && !features.contains("x2apic") && !userRemoved.contains("x2apic")) {
                features.add("x2apic");
                warn("x2apic added: vCPU " + (topo.vcpus() - 1) + " has x2APIC id " + topo.maxX2apicId() + ", above the 254 xAPIC can address");
            }
            // The host filter.
            for (String f : new ArrayList<>(features)) {
                if (Feature.VIRTUALISED.contains(f)) continue;
                if (!host.has(Feature.byName(f))) {
                    features.remove(f);
                    warn(f + " is not supported by the host, removed");
                }
            }
            long hostXcr0 = host.xcr0();
            if (hostXcr0 >= 0 && features.contains("xsave")) {
                for (XsaveComponent c : XsaveComponent.EXTENDED) {
                    if (features.contains(c.feature()) && (hostXcr0 & 1L << c.index()) == 0) {
                        features.remove(c.feature());
                        warn(c.feature() + " removed: the host's XCR0 lacks " + c.name() + " state (bit " + c.index() + ")");
                    }
                }
            }
        }

        int maxBasicLeaf() {
            CpuidOption.Numeric m = opt.numeric.get("maxleaf");
            if (m != null) return m.value();
            int max = Math.max(detail.maxBasicLeaf(), 0xB);
            if (features.contains("xsave")) max = Math.max(max, 0xD);
            return Math.min(max, 0xFF);
        }

        /** Removes features whose leaf is above {@code maxBasic}; XSAVE needs leaf 0xD. */
        void hideBeyond(int maxBasic) {
            for (String f : new ArrayList<>(features)) {
                Feature ft = Feature.byName(f);
                int needs = f.equals("xsave") ? 0xD : ft.leaf();
                if (needs >= 0 && needs < HV_BASE && needs > maxBasic) {
                    features.remove(f);
                    warn(f + " removed: maxleaf=" + hex(maxBasic) + " hides leaf " + hex(needs));
                }
            }
            if (maxBasic < 0xB && topo.vcpus() > 1) warn("maxleaf=" + hex(maxBasic) + " hides leaf 0xb; the guest cannot see its x2APIC topology");
        }

        void closeDependencies() {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Feature f : Feature.all().values()) {
                    if (!features.contains(f.name())) continue;
                    for (String r : f.requires()) {
                        if (!features.contains(r)) {
                            features.remove(f.name());
                            warn(f.name() + " removed: it needs " + r);
                            changed = true;
                            break;
                        }
                    }
                }
            }
        }

        void checkX2apic() {
            if (!features.contains("x2apic") && topo.maxX2apicId() > 254)
                warn("without x2apic the guest cannot address vCPUs whose APIC id is above 254 (vCPU " + (topo.vcpus() - 1)
                        + " has " + topo.maxX2apicId() + ")");
        }

        long xcr0() {
            long x = 3;
            for (XsaveComponent c : XsaveComponent.EXTENDED) if (features.contains(c.feature())) x |= 1L << c.index();
            return x;
        }

        static int xsaveSize(long xcr0) {
            int size = XsaveComponent.LEGACY_AND_HEADER;
            for (XsaveComponent c : XsaveComponent.EXTENDED) if ((xcr0 & 1L << c.index()) != 0) size = Math.max(size, c.offset() + c.size());
            return size;
        }

        static int compactedSize(long xcr0) {
            int off = XsaveComponent.LEGACY_AND_HEADER;
            for (XsaveComponent c : XsaveComponent.EXTENDED) {
                if ((xcr0 & 1L << c.index()) == 0) continue;
                if (c.align64()) off = (off + 63) & ~63;
                off += c.size();
            }
            return off;
        }

        // ---- the leaves ----

        static long key(int leaf, int subleaf) {
            return (leaf & 0xFFFFFFFFL) << 32 | (subleaf & 0xFFFFFFFFL);
        }

        void put(int leaf, int subleaf, int eax, int ebx, int ecx, int edx) {
            table.put(key(leaf, subleaf), new CpuidLeaf(leaf, subleaf, eax, ebx, ecx, edx));
        }

        CpuidLeaf get(int leaf, int subleaf) {
            return table.get(key(leaf, subleaf));
        }

        int mask(int leaf, int subleaf, int reg) {
            return Feature.mask(features, leaf, subleaf, reg);
        }

        void build(int maxBasic) {
            for (int l = 0; l <= maxBasic; l++) put(l, 0, 0, 0, 0, 0);
            int[] v = chars(model.vendor(), 12);
            put(0, 0, maxBasic, v[0], v[2], v[1]);
            if (maxBasic >= 1) leaf1();
            if (maxBasic >= 2) put(2, 0, 0x0000FF01, 0, 0, 0); // one iteration; descriptor 0xFF: see leaf 4
            if (maxBasic >= 4) leaf4();
            if (maxBasic >= 5 && features.contains("monitor")) put(5, 0, 64, 64, 3, 0);
            if (maxBasic >= 6) put(6, 0, mask(6, 0, EAX), 0, 0, 0);
            if (maxBasic >= 7) leaf7();
            if (maxBasic >= 0xB) topologyLeaf(0xB);
            if (maxBasic >= 0xD) leafD();
            if (maxBasic >= 0x16) put(0x16, 0, model.mhz(), model.mhz(), 100, 0);
            if (maxBasic >= 0x1F) topologyLeaf(0x1F);
            hypervisorLeaves();
            extendedLeaves();
        }

        static int[] chars(String s, int len) {
            byte[] b = new byte[len];
            byte[] src = s.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(src, 0, b, 0, Math.min(src.length, len));
            int[] words = new int[len / 4];
            for (int i = 0; i < words.length; i++)
                words[i] = (b[4 * i] & 0xFF) | (b[4 * i + 1] & 0xFF) << 8 | (b[4 * i + 2] & 0xFF) << 16 | (b[4 * i + 3] & 0xFF) << 24;
            return words;
        }

        /** Leaf 1 EAX: stepping [3:0], model [7:4], family [11:8], extended model [19:16], extended family [27:20]. */
        static int signature(int family, int model, int stepping) {
            int baseFamily = Math.min(family, 15), extFamily = family >= 15 ? family - 15 : 0;
            int baseModel = model & 0xF, extModel = family == 6 || family >= 15 ? model >> 4 & 0xF : 0;
            return (extFamily & 0xFF) << 20 | extModel << 16 | baseFamily << 8 | baseModel << 4 | (stepping & 0xF);
        }

        int logicalPerPackage() {
            return Math.min(255, 1 << topo.packageShift());
        }

        void leaf1() {
            boolean multi = topo.threadsPerCore() * topo.coresPerSocket() > 1;
            if (multi && !userRemoved.contains("ht")) features.add("ht");
            else features.remove("ht");
            int ebx = (features.contains("clflush") ? 8 : 0) << 8 | logicalPerPackage() << 16;
            int ecx = mask(1, 0, ECX) & ~(1 << 27);
            put(1, 0, signature(model.family(), model.model(), model.stepping()), ebx, ecx, mask(1, 0, EDX));
        }

        void leaf4() {
            List<CpuCache> caches = detail.caches();
            int coresField = Math.min(63, (1 << topo.coreShift()) - 1);
            for (int i = 0; i < caches.size(); i++) {
                CpuCache c = caches.get(i);
                int type = switch (c.type()) {
                    case "data" -> 1;
                    case "instruction" -> 2;
                    default -> 3;
                };
                int sharing = Math.min(4095, (1 << (c.perCore() ? topo.smtShift() : topo.packageShift())) - 1);
                int eax = type | c.level() << 5 | 1 << 8 | sharing << 14 | coresField << 26;
                int ebx = (c.lineSize() - 1) | (c.ways() - 1) << 22;
                put(4, i, eax, ebx, c.sets() - 1, 0);
            }
            put(4, caches.size(), 0, 0, 0, 0);
        }

        void leaf7() {
            boolean sub1 = false;
            for (String f : modelFeatures) {
                Feature ft = Feature.byName(f);
                if (ft.leaf() == 7 && ft.subleaf() == 1) sub1 = true;
            }
            int ecx = mask(7, 0, ECX) & ~(1 << 4); // OSPKE reflects CR4.PKE
            put(7, 0, sub1 ? 1 : 0, mask(7, 0, EBX), ecx, mask(7, 0, EDX));
            if (sub1) put(7, 1, mask(7, 1, EAX), 0, 0, 0);
        }

        /** Leaf 0xB or 0x1F: SMT level, core level, then the invalid level; EDX is vCPU 0's x2APIC id. */
        void topologyLeaf(int leaf) {
            int perCore = topo.threadsPerCore(), perPkg = topo.threadsPerCore() * topo.coresPerSocket();
            put(leaf, 0, topo.smtShift(), Math.min(0xFFFF, perCore), 0 | 1 << 8, 0);
            put(leaf, 1, topo.packageShift(), Math.min(0xFFFF, perPkg), 1 | 2 << 8, 0);
            put(leaf, 2, 0, 0, 2, 0);
        }

        void leafD() {
            if (!features.contains("xsave")) return;
            long xcr0 = xcr0();
            int size = xsaveSize(xcr0);
            put(0xD, 0, (int) xcr0, size, size, (int) (xcr0 >>> 32));
            boolean compacted = features.contains("xsavec");
            put(0xD, 1, mask(0xD, 1, EAX), compacted ? compactedSize(xcr0) : 0, 0, 0);
            int highest = 63 - Long.numberOfLeadingZeros(xcr0);
            for (int i = 2; i <= highest; i++) {
                XsaveComponent c = XsaveComponent.byIndex(i);
                if (c != null && (xcr0 & 1L << i) != 0) put(0xD, i, c.size(), c.offset(), c.align64() ? 2 : 0, 0);
                else put(0xD, i, 0, 0, 0, 0);
            }
        }

        void hypervisorLeaves() {
            CpuidOption.Numeric n = opt.numeric.get("maxhvleaf");
            int max = n != null ? n.value() : 1;
            int[] sig = chars(HV_SIGNATURE, 12);
            put(HV_BASE, 0, HV_BASE + max, sig[0], sig[1], sig[2]);
            for (int i = 1; i <= max; i++) put(HV_BASE + i, 0, i == 1 ? HV_VERSION : 0, 0, 0, 0);
            // KVM's paravirt leaves (kvm-clock, PV EOI...) move up by 0x100, where Linux looks too.
            CpuidLeaf kvm = host.known() ? host.find(HV_BASE, 0) : null;
            if (kvm != null && kvm.ebx() == 0x4b4d564b && kvm.ecx() == 0x564b4d56 && kvm.edx() == 0x4d) {
                for (CpuidLeaf l : host.leaves) {
                    if (l.leaf() < HV_BASE || l.leaf() > HV_BASE + 0xFF) continue;
                    int eax = l.leaf() == HV_BASE && l.eax() >= HV_BASE ? l.eax() + 0x100 : l.eax();
                    put(l.leaf() + 0x100, l.subleaf(), eax, l.ebx(), l.ecx(), l.edx());
                }
            }
        }

        void extendedLeaves() {
            for (int l = EXT_BASE; l <= EXT_MAX; l++) put(l, 0, 0, 0, 0, 0);
            put(EXT_BASE, 0, EXT_MAX, 0, 0, 0);
            put(EXT_BASE + 1, 0, 0, 0, mask(Feature.EXT, 0, ECX), mask(Feature.EXT, 0, EDX));
            String brand = model.brand();
            if (brand.length() > 47) brand = brand.substring(0, 47);
            int[] b = chars(brand, 48);
            for (int i = 0; i < 3; i++) put(EXT_BASE + 2 + i, 0, b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]);
            CpuCache l2 = null;
            for (CpuCache c : detail.caches()) if (c.level() == 2) l2 = c;
            if (l2 != null) put(EXT_BASE + 6, 0, 0, 0, l2.sizeKb() << 16 | l2Assoc(l2.ways()) << 12 | l2.lineSize(), 0);
            int phys = detail.physAddressBits();
            CpuidLeaf h = host.known() ? host.find(EXT_MAX, 0) : null;
            if (h != null && (h.eax() & 0xFF) != 0 && (h.eax() & 0xFF) < phys) phys = h.eax() & 0xFF;
            int virt = features.contains("la57") ? 57 : 48;
            put(EXT_MAX, 0, phys | virt << 8, 0, 0, 0);
        }

        /** The 4-bit associativity code of 0x80000006 ECX[15:12]; 7 means "see leaf 4". */
        static int l2Assoc(int ways) {
            return switch (ways) {
                case 1 -> 1;
                case 2 -> 2;
                case 4 -> 4;
                case 8 -> 6;
                case 16 -> 8;
                case 32 -> 0xA;
                case 48 -> 0xB;
                case 64 -> 0xC;
                case 96 -> 0xD;
                case 128 -> 0xE;
                default -> 7;
            };
        }

        // ---- numeric keys and raw bits ----

        void setField(int leaf, int subleaf, int reg, int shift, int width, int value) {
            CpuidLeaf l = get(leaf, subleaf);
            if (l == null) l = new CpuidLeaf(leaf, subleaf, 0, 0, 0, 0);
            int m = (width == 32 ? -1 : (1 << width) - 1) << shift;
            table.put(key(leaf, subleaf), l.withReg(reg, l.reg(reg) & ~m | value << shift & m));
        }

        void applyNumeric() {
            Map<String, CpuidOption.Numeric> n = opt.numeric;
            if (n.containsKey("family") || n.containsKey("model") || n.containsKey("stepping")) {
                int family = n.containsKey("family") ? n.get("family").value() : model.family();
                int mod = n.containsKey("model") ? n.get("model").value() : model.model();
                int step = n.containsKey("stepping") ? n.get("stepping").value() : model.stepping();
                if (get(1, 0) != null) setField(1, 0, EAX, 0, 32, signature(family, mod, step));
            }
            if (n.containsKey("brandid")) setField(1, 0, EBX, 0, 8, n.get("brandid").value());
            if (n.containsKey("clflush")) setField(1, 0, EBX, 8, 8, n.get("clflush").value());
            if (n.containsKey("proccount")) setField(1, 0, EBX, 16, 8, n.get("proccount").value());
            if (n.containsKey("localapicid")) warn("localapicid is each vCPU's own APIC id; " + n.get("localapicid").source() + " ignored");
            if (n.containsKey("nc")) setField(EXT_MAX, 0, ECX, 0, 8, n.get("nc").value());
            if (n.containsKey("apicidsize")) setField(EXT_MAX, 0, ECX, 12, 4, n.get("apicidsize").value());
            if (n.containsKey("procpkg")) {
                for (CpuidLeaf l : List.copyOf(table.values()))
                    if (l.leaf() == 4 && (l.eax() & 0x1F) != 0) setField(4, l.subleaf(), EAX, 26, 6, n.get("procpkg").value());
            }
        }

        void applyRaw() {
            for (CpuidOption.RawBit r : opt.raw) {
                boolean apicId = r.leaf() == 1 && r.reg() == EBX && r.bit() >= 24
                        || (r.leaf() == 0xB || r.leaf() == 0x1F) && r.reg() == EDX;
                if (apicId) {
                    warn(r.source() + " ignored: the x2APIC id is set per vCPU");
                    continue;
                }
                int value;
                switch (r.value()) {
                    case '1' -> value = 1;
                    case '0' -> value = 0;
                    default -> {
                        CpuidLeaf h = host.known() ? host.find(r.leaf(), r.subleaf()) : null;
                        if (h == null) continue; // no host value: keep the default
                        value = h.bit(r.reg(), r.bit()) ? 1 : 0;
                    }
                }
                setField(r.leaf(), r.subleaf(), r.reg(), r.bit(), 1, value);
            }
        }

        static String hex(int v) {
            return "0x" + Integer.toHexString(v);
        }
    }

}
