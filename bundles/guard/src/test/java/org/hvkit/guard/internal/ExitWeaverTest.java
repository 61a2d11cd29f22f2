package org.hvkit.guard.internal;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.MTD_void;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each form of ending the JVM, compiled by javac into a fixture class, woven, loaded and called:
 * the call is refused with a SecurityException naming it and where it was, and this JVM lives on
 * to run the next test (an unwoven call would end the test run).
 */
class ExitWeaverTest {
    private static final String CALLS = WeavingLoader.FIXTURES + "ExitCalls";
    private static final ClassDesc SYSTEM = ClassDesc.of("java.lang.System");
    private static final MethodTypeDesc INT_VOID = MethodTypeDesc.of(CD_void, CD_int);

    private static Throwable thrownBy(Class<?> c, String method, Object... args) throws Exception {
        Method m = null;
        for (Method candidate : c.getMethods()) if (candidate.getName().equals(method)) m = candidate;
        try {
            m.invoke(null, args);
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
        throw new AssertionError(method + " returned: the JVM should have ended or the call been refused");
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', value = {
        "systemExit             | System.exit(3)",
        "runtimeExit            | Runtime.exit(4)",
        "runtimeHalt            | Runtime.halt(5)",
        "reflectiveExit         | Method.invoke of java.lang.System.exit",
        "reflectiveHalt         | Method.invoke of java.lang.Runtime.halt",
        "findStaticExit         | MethodHandles.Lookup.findStatic of java.lang.System.exit",
        "findVirtualHalt        | MethodHandles.Lookup.findVirtual of java.lang.Runtime.halt",
        "bindExit               | MethodHandles.Lookup.bind of java.lang.Runtime.exit",
        "unreflectExit          | MethodHandles.Lookup.unreflect of java.lang.System.exit",
        "methodReference        | System.exit(12)",
        "boundMethodReference   | Runtime.halt(13)",
        "unboundMethodReference | Runtime.exit(14)",
        "lambda                 | System.exit(15)",
        "raiseTerm              | sun.misc.Signal.raise(SIGTERM)",
        "invokeThroughInvoke    | Method.invoke of java.lang.reflect.Method.invoke",
        "handleToFindStatic     | MethodHandles.Lookup.findVirtual of java.lang.invoke.MethodHandles$Lookup.findStatic",
    })
    void everyRouteIsRefused(String method, String call) throws Exception {
        Class<?> c = new WeavingLoader().loadClass(CALLS);
        Throwable t = thrownBy(c, method);
        assertInstanceOf(SecurityException.class, t, method);
        assertEquals("hvkit guard: refused " + call + WeavingLoader.WHERE, t.getMessage());
        // the refusal comes from the helper injected into the caller's own class
        assertEquals(CALLS, t.getStackTrace()[0].getClassName());
    }

    @Test
    void reflectionAndHandlesThatDoNotExitStillWork() throws Exception {
        Class<?> c = new WeavingLoader().loadClass(CALLS);
        assertEquals("s123", c.getMethod("harmless").invoke(null));
    }

    @Test
    void theRewriteCountsItsSitesAndRoutes() throws Exception {
        WeavingLoader loader = new WeavingLoader();
        loader.loadClass(CALLS);
        ExitWeaver.Result r = loader.results.get(CALLS);
        assertEquals(java.util.EnumSet.range(Route.SYSTEM_EXIT, Route.UNREFLECT), r.routes());
        assertTrue(r.sites() >= 18, "sites " + r.sites());
    }

    @Test
    void anInterfaceGetsInterfaceHelpers() throws Exception {
        Class<?> c = new WeavingLoader().loadClass(WeavingLoader.FIXTURES + "ExitingInterface");
        Throwable t = thrownBy(c, "exit");
        assertEquals("hvkit guard: refused System.exit(18)" + WeavingLoader.WHERE, t.getMessage());
    }

    @Test
    void stackMapsAcrossTheClassesOwnTypesAreRegenerated() throws Exception {
        Class<?> c = new WeavingLoader().loadClass(WeavingLoader.FIXTURES + "Merging");
        assertEquals("hvkit guard: refused System.exit(19)" + WeavingLoader.WHERE, thrownBy(c, "exit", true).getMessage());
        assertEquals("hvkit guard: refused System.exit(19)" + WeavingLoader.WHERE, thrownBy(c, "exit", false).getMessage());
    }

    /** Two types no loader can find meet at a branch (an optional import that is absent): the class still loads and refuses. */
    @Test
    void typesNobodyCanResolveDoNotStopTheWeaving() throws Exception {
        String name = WeavingLoader.FIXTURES + "Optional";
        ClassDesc missingA = ClassDesc.of("absent.A"), missingB = ClassDesc.of("absent.B");
        var lenient = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(java.lang.classfile.ClassHierarchyResolver.defaultResolver()
                .orElse(n -> java.lang.classfile.ClassHierarchyResolver.ClassHierarchyInfo.ofClass(CD_Object))));
        byte[] b = lenient.build(ClassDesc.of(name), cb -> cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_SUPER)
                .withMethodBody("run", MethodTypeDesc.of(CD_void, java.lang.constant.ConstantDescs.CD_boolean), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> {
                    var other = code.newLabel();
                    var join = code.newLabel();
                    code.iload(0).ifeq(other).aconst_null().checkcast(missingA).goto_(join)
                            .labelBinding(other);
                    code.aconst_null().checkcast(missingB).labelBinding(join);
                    code.astore(1).bipush(22).invokestatic(SYSTEM, "exit", INT_VOID).return_();
                }));
        Class<?> c = new WeavingLoader().with(name, b).loadClass(name);
        assertEquals("hvkit guard: refused System.exit(22)" + WeavingLoader.WHERE, thrownBy(c, "run", true).getMessage());
    }

    @Test
    void aClassThatNamesNoRouteIsLeftAlone() throws IOException {
        assertNull(ExitWeaver.weave(bytesOf(Route.class), WeavingLoader.WHERE, null));
    }

    /** The byte pre-filter never skips a class the constant-pool scan would weave. */
    @Test
    void thePrefilterAgreesWithTheConstantPoolScan() throws Exception {
        for (Class<?> c : new Class<?>[] {Route.class, ExitWeaver.class, Helpers.class, GuardHook.class, GuardActivator.class, ExitWeaverTest.class, WeavingLoader.class}) {
            byte[] b = bytesOf(c);
            boolean named = !ExitWeaver.routesIn(ClassFile.of().parse(b)).isEmpty();
            assertTrue(!named || ExitWeaver.mayNameARoute(b), c.getName());
        }
        assertTrue(ExitWeaver.mayNameARoute(new WeavingLoader().readFixture(CALLS)));
        byte[] plain = ClassFile.of().build(ClassDesc.of(WeavingLoader.FIXTURES + "Plain"), cb -> cb
                .withMethodBody("run", MTD_void, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code.invokestatic(SYSTEM, "gc", MTD_void).return_()));
        assertTrue(!ExitWeaver.mayNameARoute(plain), "a class calling System.gc only is skipped unparsed");
    }

    @Test
    void aClassUsingTheReservedHelperNamesIsNotWoven() {
        byte[] b = ClassFile.of().build(ClassDesc.of(WeavingLoader.FIXTURES + "Squatter"), cb -> cb
                .withMethodBody("hvkit$guard$SYSTEM_EXIT", INT_VOID, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC, code -> code.return_())
                .withMethodBody("run", MTD_void, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code.iconst_1().invokestatic(SYSTEM, "exit", INT_VOID).return_()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExitWeaver.weave(b, WeavingLoader.WHERE, null));
        assertTrue(e.getMessage().contains("hvkit$guard$SYSTEM_EXIT"), e.getMessage());
    }

    /** Old class files: an interface's static initializer that exits, at versions 50 (inline refusal) and 51 (raised to 52). */
    @ParameterizedTest(name = "interface at class file version {0}")
    @CsvSource({"50, 50", "51, 52"})
    void oldInterfacesAreCoveredToo(int version, int wovenVersion) throws Exception {
        String name = WeavingLoader.FIXTURES + "Old" + version;
        byte[] b = ClassFile.of().build(ClassDesc.of(name), cb -> cb.withVersion(version, 0)
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT).withSuperclass(CD_Object)
                .withMethodBody("<clinit>", MTD_void, ClassFile.ACC_STATIC, code -> code.bipush(20).invokestatic(SYSTEM, "exit", INT_VOID, false).return_()));
        WeavingLoader loader = new WeavingLoader().with(name, b);
        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class, () -> Class.forName(name, true, loader));
        assertInstanceOf(SecurityException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("hvkit guard: refused System.exit"), e.getCause().getMessage());
        assertEquals(wovenVersion, ClassFile.of().parse(loader.results.get(name).bytes()).majorVersion());
    }

    /** A class file older than stack maps (49) gets its helpers all the same. */
    @Test
    void aPreStackMapClassIsWoven() throws Exception {
        String name = WeavingLoader.FIXTURES + "Old49";
        byte[] b = ClassFile.of().build(ClassDesc.of(name), cb -> cb.withVersion(49, 0).withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_SUPER)
                .withMethodBody("<init>", MTD_void, ClassFile.ACC_PUBLIC, code -> code.aload(0).invokespecial(CD_Object, "<init>", MTD_void).return_())
                .withMethodBody("run", MTD_void, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code.bipush(21).invokestatic(SYSTEM, "exit", INT_VOID).return_()));
        Class<?> c = new WeavingLoader().with(name, b).loadClass(name);
        assertEquals("hvkit guard: refused System.exit(21)" + WeavingLoader.WHERE, thrownBy(c, "run").getMessage());
    }

    private static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
