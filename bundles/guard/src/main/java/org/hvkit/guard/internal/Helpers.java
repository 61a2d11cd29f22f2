package org.hvkit.guard.internal;

import static java.lang.constant.ConstantDescs.CD_Class;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.constant.ConstantDescs;

/**
 * Writes the private static synthetic methods a woven class gets: one per {@link Route} it uses,
 * plus {@code refuse} (logs through {@code System.getLogger}, returns the exception) and
 * {@code check} (refuses a reflective target in {@link Route#FATAL}). They use only
 * {@code java.*} types and the owner of the call they replace, so the woven class needs no new import.
 */
final class Helpers {
    static final String REFUSE = "hvkit$guard$refuse";
    static final String CHECK = "hvkit$guard$check";
    static final String LOGGER = "org.hvkit.guard";
    private static final int FLAGS = ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_SYNTHETIC;
    private static final ClassDesc CD_SECURITY = ClassDesc.of("java.lang.SecurityException");
    private static final ClassDesc CD_LOGGER = ClassDesc.of("java.lang.System$Logger");
    private static final ClassDesc CD_LEVEL = ClassDesc.of("java.lang.System$Logger$Level");
    private static final ClassDesc CD_METHOD = ClassDesc.of("java.lang.reflect.Method");
    private static final ClassDesc CD_SYSTEM = ClassDesc.of("java.lang.System");
    private static final MethodTypeDesc REFUSE_TYPE = MethodTypeDesc.of(CD_SECURITY, CD_String);
    private static final MethodTypeDesc CHECK_TYPE = MethodTypeDesc.of(CD_void, CD_Class, CD_String, CD_String);
    private static final MethodTypeDesc CONCAT = MethodTypeDesc.of(CD_String, CD_String);

    private final ClassDesc self;
    private final boolean isInterface;
    /** Appended to every refusal: where the call was and whose bundle it is. */
    private final String where;

    Helpers(ClassDesc self, boolean isInterface, String where) {
        this.self = self;
        this.isInterface = isInterface;
        this.where = where;
    }

    /** The message of a refusal decided at weave time (interfaces too old for private methods). */
    String message(String call) {
        return "hvkit guard: refused " + call + where;
    }

    void addCommon(ClassBuilder cb) {
        cb.withMethodBody(REFUSE, REFUSE_TYPE, FLAGS, code -> {
            code.ldc("hvkit guard: refused ").aload(0).invokevirtual(CD_String, "concat", CONCAT)
                    .ldc(where).invokevirtual(CD_String, "concat", CONCAT).astore(1);
            log(code, () -> code.aload(1));
            code.new_(CD_SECURITY).dup().aload(1)
                    .invokespecial(CD_SECURITY, ConstantDescs.INIT_NAME, MethodTypeDesc.of(CD_void, CD_String)).areturn();
        });
        cb.withMethodBody(CHECK, CHECK_TYPE, FLAGS, code -> {
            Label refuse = code.newLabel();
            code.aload(0).invokevirtual(CD_Class, "getName", MethodTypeDesc.of(CD_String))
                    .ldc(".").invokevirtual(CD_String, "concat", CONCAT)
                    .aload(1).invokevirtual(CD_String, "concat", CONCAT).astore(3);
            for (String fatal : Route.FATAL) {
                code.aload(3).ldc(fatal).invokevirtual(CD_String, "equals", MethodTypeDesc.of(CD_boolean, CD_Object)).ifne(refuse);
            }
            code.return_();
            code.labelBinding(refuse);
            code.aload(2).ldc(" of ").invokevirtual(CD_String, "concat", CONCAT)
                    .aload(3).invokevirtual(CD_String, "concat", CONCAT);
            code.invokestatic(self, REFUSE, REFUSE_TYPE, isInterface).athrow();
        });
    }

    void addRoute(ClassBuilder cb, Route r) {
        cb.withMethodBody(r.helperName, r.helperType, FLAGS, code -> {
            switch (r.kind) {
                case REFUSE -> refuseBody(code, r);
                case CHECK -> checkBody(code, r);
                case LIFECYCLE -> lifecycleBody(code, r);
            }
        });
    }

    /** {@code throw refuse("System.exit(" + status + ")")}: the last parameter is what is shown. */
    private void refuseBody(CodeBuilder code, Route r) {
        int last = r.helperType.parameterCount() - 1;
        code.ldc(r.label + "(");
        if (r.helperType.parameterType(last).equals(CD_int)) {
            code.iload(last).invokestatic(ClassDesc.of("java.lang.Integer"), "toString", MethodTypeDesc.of(CD_String, CD_int));
        } else {
            code.aload(last).invokestatic(CD_String, "valueOf", MethodTypeDesc.of(CD_String, CD_Object));
        }
        code.invokevirtual(CD_String, "concat", CONCAT).ldc(")").invokevirtual(CD_String, "concat", CONCAT)
                .invokestatic(self, REFUSE, REFUSE_TYPE, isInterface).athrow();
    }

    /** {@code check(targetClass, targetName, label); return original(args...)}. */
    private void checkBody(CodeBuilder code, Route r) {
        switch (r) {
            case METHOD_INVOKE -> methodTarget(code, 0);
            case UNREFLECT -> methodTarget(code, 1);
            case BIND -> code.aload(1).invokevirtual(CD_Object, "getClass", MethodTypeDesc.of(CD_Class)).aload(2);
            case FIND_STATIC, FIND_VIRTUAL -> code.aload(1).aload(2);
            default -> throw new IllegalStateException("no check for " + r);
        }
        code.ldc(r.label).invokestatic(self, CHECK, CHECK_TYPE, isInterface);
        for (int i = 0; i < r.helperType.parameterCount(); i++) code.aload(i);
        code.invokevirtual(r.ownerDesc(), r.name, MethodTypeDesc.ofDescriptor(r.descriptor)).areturn();
    }

    /** {@code if (b.getBundleId() == 0 || GUARD_BSN.equals(b.getSymbolicName())) throw refuse(label + " of " + b); b.original(args...)}. */
    private void lifecycleBody(CodeBuilder code, Route r) {
        Label refuse = code.newLabel();
        // through the call's own owner (Bundle or Framework), so the woven class needs no type it does not name already
        code.aload(0).invokeinterface(r.ownerDesc(), "getBundleId", MethodTypeDesc.of(ConstantDescs.CD_long)).lconst_0().lcmp().ifeq(refuse);
        code.ldc(Route.GUARD_BSN).aload(0).invokeinterface(r.ownerDesc(), "getSymbolicName", MethodTypeDesc.of(CD_String))
                .invokevirtual(CD_String, "equals", MethodTypeDesc.of(CD_boolean, CD_Object)).ifne(refuse);
        int slot = 0;
        for (int i = 0; i < r.helperType.parameterCount(); i++) {
            TypeKind k = TypeKind.from(r.helperType.parameterType(i));
            code.loadLocal(k, slot);
            slot += k.slotSize();
        }
        code.invokeinterface(r.ownerDesc(), r.name, MethodTypeDesc.ofDescriptor(r.descriptor)).return_();
        code.labelBinding(refuse);
        code.ldc(r.label + " of ").aload(0).invokestatic(CD_String, "valueOf", MethodTypeDesc.of(CD_String, CD_Object))
                .invokevirtual(CD_String, "concat", CONCAT).invokestatic(self, REFUSE, REFUSE_TYPE, isInterface).athrow();
    }

    private static void methodTarget(CodeBuilder code, int slot) {
        code.aload(slot).invokevirtual(CD_METHOD, "getDeclaringClass", MethodTypeDesc.of(CD_Class))
                .aload(slot).invokevirtual(CD_METHOD, "getName", MethodTypeDesc.of(CD_String));
    }

    /** Logs the message that {@code push} leaves on the stack at ERROR. */
    static void log(CodeBuilder code, Runnable push) {
        code.ldc(LOGGER).invokestatic(CD_SYSTEM, "getLogger", MethodTypeDesc.of(CD_LOGGER, CD_String))
                .getstatic(CD_LEVEL, "ERROR", CD_LEVEL);
        push.run();
        code.invokeinterface(CD_LOGGER, "log", MethodTypeDesc.of(CD_void, CD_LEVEL, CD_String));
    }

    /** A refusal written at the call site: pops the operands, logs, throws. */
    void inlineRefusal(CodeBuilder code, Route r) {
        for (int i = r.helperType.parameterCount() - 1; i >= 0; i--) {
            ClassDesc t = r.helperType.parameterType(i);
            if (t.equals(ConstantDescs.CD_long) || t.equals(ConstantDescs.CD_double)) code.pop2();
            else code.pop();
        }
        String msg = message(r.label);
        log(code, () -> code.ldc(msg));
        code.new_(CD_SECURITY).dup().ldc(msg)
                .invokespecial(CD_SECURITY, ConstantDescs.INIT_NAME, MethodTypeDesc.of(CD_void, CD_String)).athrow();
    }
}
