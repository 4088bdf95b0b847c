package dev.forklift.codec;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * The object codec's writer: Java serialization that refuses, while it writes, what the codec's reader would
 * refuse, so that a value {@code put} accepts is a value {@code take} returns. It checks every class against the
 * allow-list before anything of it is written, and the depth of every object and class descriptor against the
 * same limits as {@link DecodeFilter}.
 *
 * <p>Depth is counted as the reader counts it: the root is at depth 1, an object it refers to at depth 2, and so
 * on; a class descriptor is at the depth of the object it describes, its serializable superclass one deeper, and
 * so on. Leaves (strings, primitive boxes, primitive arrays, enum constants) do not count: they hold no object, so
 * they lie at most one level below a counted object, within the reader's margin; null and references to an object
 * already written do not count either (the reader allows them past the limit, see
 * {@link ObjectCodec#DESCRIPTOR_LEVELS}).
 *
 * <p>How the depth is known: {@link ObjectOutputStream} writes an object graph depth first, one nested
 * {@code writeObject0} call per level, and the hooks below run at every new object ({@link #replaceObject}) and
 * class descriptor ({@link #annotateClass}). The depth at a hook is at most one more than at the hook before, so a
 * running bound costs nothing until it passes the limit; only then is the exact depth read from the stack (the
 * serialization frames above {@link ObjectCodec#encode}), and the bound reset to it. A shallow graph is never
 * walked; one near the limit is walked once per object at worst. Should the stack ever show no serialization frame
 * (another JDK's implementation), the codec decodes what it wrote instead ({@link #mustVerify()}), which applies
 * the reader's limits exactly.
 *
 * <p>Also asks for that check when the graph holds a JDK class outside the default allow-list, whose
 * {@code readObject} may size a table from a number in the stream beyond the reader's array bound (such as
 * {@code Hashtable} with a tiny load factor, or {@code Collections.nCopies}).
 *
 * <p>Single-threaded: one per {@link ObjectCodec#encode} call.
 */
final class GuardedOutputStream extends ObjectOutputStream {
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final AllowList allowList;
    private final int maxDepth;
    private final Class<?> rootType;
    private int depthBound;
    private boolean blind;
    private boolean mustVerify;

    /**
     * @param out       where the bytes go.
     * @param allowList the classes that may be written.
     * @param maxDepth  the deepest object allowed.
     * @param rootType  the class of the value written, for messages.
     * @throws IOException if the stream header cannot be written.
     */
    GuardedOutputStream(final OutputStream out, final AllowList allowList, final int maxDepth,
        final Class<?> rootType) throws IOException {
        super(out);
        this.allowList = allowList;
        this.maxDepth = maxDepth;
        this.rootType = rootType;
        enableReplaceObject(true);
    }

    /** @return true if the bytes written must be decoded once to apply the reader's limits exactly. */
    boolean mustVerify() {
        return mustVerify;
    }

    /** Called by the serialization before every new object is written; the object is kept as it is. */
    @Override
    protected Object replaceObject(final Object object) {
        if (object instanceof Throwable && reportingItsOwnFailure()) {
            // The value could not be written (say, a class that is not serializable), and ObjectOutputStream now
            // writes that exception into the stream: stop here with the real cause, which the allow-list would
            // otherwise hide behind a refusal of the exception's own class.
            throw new CodecException("cannot encode a " + rootType.getName() + ": " + object, (Throwable) object);
        }
        if (!isLeaf(object)) {
            final Class<?> type = object.getClass();
            checkDepth(type, maxDepth, false, !HOLDS_ONLY_LEAVES.get(type));
        }
        return object;
    }

    /**
     * True for a class whose objects can hold leaves only ({@link #isLeaf}): a record, or a serializable class
     * without {@code writeObject} or {@code Externalizable}, whose serializable fields (its own and its serializable
     * superclasses') are primitives, strings, boxes, primitive arrays or enums. After such an object nothing deeper
     * than itself is written, so it does not move the depth bound.
     */
    private static final ClassValue<Boolean> HOLDS_ONLY_LEAVES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(final Class<?> type) {
            if (type.isRecord()) {
                for (final java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
                    if (!isLeafType(component.getType())) {
                        return false;
                    }
                }
                return true;
            }
            if (type.isArray() || java.io.Externalizable.class.isAssignableFrom(type)) {
                return false;
            }
            for (Class<?> c = type; c != null && java.io.Serializable.class.isAssignableFrom(c); c = c.getSuperclass()) {
                if (declaresWriteObject(c)) {
                    return false;
                }
                final java.io.ObjectStreamClass descriptor = java.io.ObjectStreamClass.lookup(c);
                if (descriptor == null) {
                    return false;
                }
                for (final java.io.ObjectStreamField field : descriptor.getFields()) {
                    if (!isLeafType(field.getType())) {
                        return false;
                    }
                }
            }
            return true;
        }
    };

    private static boolean declaresWriteObject(final Class<?> type) {
        try {
            type.getDeclaredMethod("writeObject", ObjectOutputStream.class);
            return true;
        } catch (final NoSuchMethodException ex) {
            return false;
        } catch (final SecurityException ex) {
            return true;
        }
    }

    /** @return true if every value of a field of this declared type is a leaf. */
    private static boolean isLeafType(final Class<?> type) {
        return type.isPrimitive() || type == String.class || type.isEnum()
            || type.isArray() && type.getComponentType().isPrimitive()
            || type == Integer.class || type == Long.class || type == Double.class || type == Boolean.class
            || type == Character.class || type == Byte.class || type == Short.class || type == Float.class;
    }

    /**
     * @return true for an object that refers to no other object: a string, a primitive box, a primitive array, an
     *         enum constant. A leaf is at most one level below an object already checked, and nothing is written
     *         below it but its class descriptor (which is checked), so it needs no check of its own and does not
     *         move the bound.
     */
    private static boolean isLeaf(final Object object) {
        final Class<?> type = object.getClass();
        return object instanceof String || object instanceof Enum || type.isArray() && type.getComponentType().isPrimitive()
            || type == Integer.class || type == Long.class || type == Double.class || type == Boolean.class
            || type == Character.class || type == Byte.class || type == Short.class || type == Float.class;
    }

    /** Called by the serialization for every new class descriptor, before anything of its class is written. */
    @Override
    protected void annotateClass(final Class<?> type) {
        if (!allowList.isAllowed(type)) {
            throw new ClassNotAllowedException(type.getName());
        }
        if (!mustVerify && (mayClaimLargeTables(type) || resolvesToAnother(type))) {
            mustVerify = true;
        }
        checkDepth(type, maxDepth + ObjectCodec.DESCRIPTOR_LEVELS - 1, true, true);
    }

    @Override
    protected void annotateProxyClass(final Class<?> type) {
        throw new ClassNotAllowedException(type.getName());
    }

    /**
     * Checks the depth of a new object or class descriptor.
     *
     * @param deepens true if what is written next may lie one level deeper (an object that may hold objects, a
     *                class descriptor, which may be followed by its superclass's); false for an object that holds
     *                only leaves, after which nothing deeper than itself is written.
     */
    private void checkDepth(final Class<?> type, final int limit, final boolean descriptor, final boolean deepens) {
        if (blind) {
            return;
        }
        // depthBound: what is written next lies at most one level below it
        if (depthBound + 1 <= limit) {
            if (deepens) {
                depthBound++;
            }
            return;
        }
        final int depth = depthOnTheStack();
        if (depth <= 0) {
            blind = true;
            mustVerify = true;
            return;
        }
        depthBound = deepens ? depth : depth - 1;
        if (depth > limit) {
            throw new CodecException(descriptor
                ? "the class descriptor of " + type.getName() + " (with its serializable superclasses) in a "
                    + rootType.getName() + " reaches depth " + depth + ", past the object codec's limit of maxDepth + "
                    + (ObjectCodec.DESCRIPTOR_LEVELS - 1) + " = " + limit + ObjectCodec.HOW_TO_RAISE
                : "a " + rootType.getName() + " nests a " + type.getName() + " at depth " + depth
                    + ", deeper than the object codec's limit maxDepth=" + maxDepth + ObjectCodec.HOW_TO_RAISE);
        }
    }

    /** @return true while {@link ObjectOutputStream} writes the exception that ended the writing of the value. */
    private static boolean reportingItsOwnFailure() {
        return STACK.walk(frames -> frames.anyMatch(frame -> frame.getDeclaringClass() == ObjectOutputStream.class
            && frame.getMethodName().equals("writeFatalException")));
    }

    /**
     * @return the depth at which the reader will meet what is being written now: the serialization's object frames,
     *         plus its nested class descriptor frames beyond the first; 0 if the stack shows none.
     */
    private static int depthOnTheStack() {
        return STACK.walk(frames -> {
            int objects = 0;
            int descriptors = 0;
            for (final java.util.Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                final StackWalker.StackFrame frame = it.next();
                final Class<?> declaringClass = frame.getDeclaringClass();
                if (declaringClass == ObjectOutputStream.class) {
                    final String method = frame.getMethodName();
                    if (method.equals("writeObject0")) {
                        objects++;
                    } else if (method.equals("writeNonProxyDesc")) {
                        descriptors++;
                    }
                } else if (declaringClass == ObjectCodec.class && frame.getMethodName().equals("encode")) {
                    break;
                }
            }
            return objects == 0 ? 0 : objects + Math.max(0, descriptors - 1);
        });
    }

    /**
     * True for a class outside the default allow-list with a {@code readResolve} method: the reader checks the class
     * of the object it resolves to against the allow-list, which the writer never sees (it writes the replacement,
     * such as a serialization proxy). The default list's proxies ({@code java.time.Ser}, the immutable
     * collections' {@code CollSer}) resolve to classes on the default list.
     */
    private static boolean resolvesToAnother(final Class<?> type) {
        return !AllowList.isDefaultClassName(type.getName()) && DECLARES_READ_RESOLVE.get(type);
    }

    private static final ClassValue<Boolean> DECLARES_READ_RESOLVE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(final Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    c.getDeclaredMethod("readResolve");
                    return true;
                } catch (final NoSuchMethodException ex) {
                    // look in the superclass
                } catch (final SecurityException ex) {
                    return true;
                }
            }
            return false;
        }
    };

    /**
     * @return true for a JDK class, other than the default allow-list's, whose deserialization may check a table
     *         size computed from the stream against the reader's array bound.
     */
    private static boolean mayClaimLargeTables(final Class<?> type) {
        if (type.isArray() || AllowList.isDefaultClassName(type.getName())) {
            return false;
        }
        final String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
            || name.startsWith("sun.") || name.startsWith("com.sun.");
    }
}
