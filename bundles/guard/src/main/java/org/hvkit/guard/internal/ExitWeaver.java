package org.hvkit.guard.internal;

import java.lang.classfile.BootstrapMethodEntry;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;

import java.lang.classfile.constantpool.ConstantDynamicEntry;
import java.lang.classfile.constantpool.ConstantPoolBuilder;
import java.lang.classfile.constantpool.LoadableConstantEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandleInfo;
import java.lang.reflect.AccessFlag;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites one class file so that it cannot end the JVM: every call to a {@link Route} (invoke
 * instructions, and method-handle constants in {@code ldc} and bootstrap arguments, which is how
 * {@code System::exit} compiles) goes to a helper method injected into the same class.
 *
 * <p>A helper has the replaced call's stack effect, so each site changes one instruction. Class
 * files of interfaces older than Java 8 (52) cannot hold private static methods: a version 51
 * interface is raised to 52 (same verifier, no {@code jsr}), an older one gets the refusal written
 * at the call site (such files have no method-handle constants).
 */
final class ExitWeaver {
    private static final int FIRST_PRIVATE_INTERFACE_METHODS = ClassFile.JAVA_8_VERSION;

    /** What a rewrite did, for the log. */
    record Result(byte[] bytes, Set<Route> routes, int sites) {
    }

    private ExitWeaver() {
    }

    /**
     * False only if the class file cannot name a route: a member reference needs its owner's
     * internal name and its own name as constant-pool strings, which are ASCII here, so they
     * appear in the bytes verbatim. Most classes stop here, without being parsed (start-up cost).
     */
    static boolean mayNameARoute(byte[] classFile) {
        // as Latin-1 every byte is one char, so String.indexOf (a JDK intrinsic, fast from the first class on) does the search
        String text = new String(classFile, StandardCharsets.ISO_8859_1);
        for (Route r : Route.values()) {
            if (text.contains(r.owner) && text.contains(r.name)) return true;
        }
        return false;
    }

    /** The routes the class file names: a scan of its constant pool. */
    static Set<Route> routesIn(ClassModel cm) {
        Set<Route> found = EnumSet.noneOf(Route.class);
        for (PoolEntry e : cm.constantPool()) {
            if (e instanceof MemberRefEntry m) {
                Route r = Route.of(m.owner().asInternalName(), m.name().stringValue(), m.type().stringValue());
                if (r != null) found.add(r);
            }
        }
        return found;
    }

    /**
     * The rewritten class file, or null when it names no route.
     *
     * @param where what a refusal adds after the call, e.g. " in org.x.Y (bundle org.x 1.0.0, id 7)"
     * @param loader the class loader whose resources describe the class's own hierarchy (for the
     *        stack maps of rewritten methods), or null for the system class loader only
     * @throws IllegalArgumentException when the class cannot be woven (the caller refuses to load it)
     */
    static Result weave(byte[] classFile, String where, ClassLoader loader) {
        if (!mayNameARoute(classFile)) return null;
        ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver();
        if (loader != null) resolver = resolver.orElse(ClassHierarchyResolver.ofResourceParsing(loader));
        // a type nobody can find (an optional import that is absent) is taken for a plain class: the
        // verifier checks every frame, so a wrong guess can only fail this class's load, never pass unsafe code
        resolver = resolver.orElse(name -> ClassHierarchyResolver.ClassHierarchyInfo.ofClass(ConstantDescs.CD_Object));
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
        ClassModel cm = cf.parse(classFile);
        Set<Route> routes = routesIn(cm);
        if (routes.isEmpty()) return null;
        for (MethodModel m : cm.methods()) {
            if (m.methodName().stringValue().startsWith("hvkit$guard$")) {
                throw new IllegalArgumentException("class " + cm.thisClass().asInternalName() + " already has a method named " + m.methodName().stringValue()
                        + ", a name the guard reserves");
            }
        }
        boolean isInterface = cm.flags().has(AccessFlag.INTERFACE);
        int version = cm.majorVersion();
        boolean raise = isInterface && version == ClassFile.JAVA_7_VERSION;
        boolean inline = isInterface && version < ClassFile.JAVA_7_VERSION;
        ClassDesc self = cm.thisClass().asSymbol();
        Helpers helpers = new Helpers(self, isInterface, where);
        int[] sites = {0};
        CodeTransform code = (cob, el) -> {
            if (rewrite(cob, el, self, isInterface, inline, helpers)) sites[0]++;
            else cob.with(el);
        };
        ClassTransform transform = ClassTransform.transformingMethodBodies(code).andThen(new ClassTransform() {
            @Override
            public void accept(ClassBuilder cb, ClassElement ce) {
                if (raise && ce instanceof ClassFileVersion) cb.withVersion(FIRST_PRIVATE_INTERFACE_METHODS, 0);
                else cb.with(ce);
            }

            @Override
            public void atEnd(ClassBuilder cb) {
                if (inline) return;
                helpers.addCommon(cb);
                for (Route r : routes) helpers.addRoute(cb, r);
            }
        });
        byte[] out = cf.transformClass(cm, transform);
        return new Result(out, routes, sites[0]);
    }

    /** Writes the replacement of {@code el} and returns true, or returns false to keep it. */
    private static boolean rewrite(CodeBuilder cob, CodeElement el, ClassDesc self, boolean isInterface, boolean inline, Helpers helpers) {
        switch (el) {
            case InvokeInstruction inv -> {
                Route r = Route.of(inv.owner().asInternalName(), inv.name().stringValue(), inv.type().stringValue());
                if (r == null || inv.opcode() != r.opcode) return false;
                if (inline) helpers.inlineRefusal(cob, r);
                else cob.invokestatic(self, r.helperName, r.helperType, isInterface);
                return true;
            }
            case InvokeDynamicInstruction indy -> {
                BootstrapMethodEntry bsm = remapBsm(cob.constantPool(), indy.invokedynamic().bootstrap(), self, isInterface);
                if (bsm == indy.invokedynamic().bootstrap()) return false;
                cob.invokedynamic(cob.constantPool().invokeDynamicEntry(bsm, indy.invokedynamic().nameAndType()));
                return true;
            }
            case ConstantInstruction.LoadConstantInstruction ldc -> {
                LoadableConstantEntry c = remap(cob.constantPool(), ldc.constantEntry(), self, isInterface);
                if (c == ldc.constantEntry()) return false;
                cob.ldc(c);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** A constant with every method handle to a route replaced by one to its helper; the same object when nothing changed. */
    private static LoadableConstantEntry remap(ConstantPoolBuilder cp, LoadableConstantEntry e, ClassDesc self, boolean isInterface) {
        if (e instanceof MethodHandleEntry mh) {
            MemberRefEntry ref = mh.reference();
            Route r = Route.of(ref.owner().asInternalName(), ref.name().stringValue(), ref.type().stringValue());
            if (r == null) return e;
            MemberRefEntry helper = isInterface
                    ? cp.interfaceMethodRefEntry(self, r.helperName, r.helperType)
                    : cp.methodRefEntry(self, r.helperName, r.helperType);
            return cp.methodHandleEntry(MethodHandleInfo.REF_invokeStatic, helper);
        }
        if (e instanceof ConstantDynamicEntry cd) {
            BootstrapMethodEntry bsm = remapBsm(cp, cd.bootstrap(), self, isInterface);
            return bsm == cd.bootstrap() ? e : cp.constantDynamicEntry(bsm, cd.nameAndType());
        }
        return e;
    }

    private static BootstrapMethodEntry remapBsm(ConstantPoolBuilder cp, BootstrapMethodEntry b, ClassDesc self, boolean isInterface) {
        boolean changed = false;
        MethodHandleEntry method = (MethodHandleEntry) remap(cp, b.bootstrapMethod(), self, isInterface);
        changed |= method != b.bootstrapMethod();
        List<LoadableConstantEntry> args = new ArrayList<>(b.arguments().size());
        for (LoadableConstantEntry a : b.arguments()) {
            LoadableConstantEntry m = remap(cp, a, self, isInterface);
            changed |= m != a;
            args.add(m);
        }
        return changed ? cp.bsmEntry(method, args) : b;
    }
}
