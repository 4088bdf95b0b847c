package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * The serialized form of a {@link SharedState}: its path, type and name, which re-attach in the process that
 * deserializes it. That is how shared state passed as an argument arrives in a child process.
 */
final class StateRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final int typeCode;
    private final String name;

    StateRef(final Path path, final StateType type, final String name) {
        this.path = path.toString();
        this.typeCode = type.code();
        this.name = name;
    }

    private Object readResolve() throws java.io.InvalidObjectException {
        final StateType type = StateType.ofCode(typeCode);
        if (type == null) {
            throw new java.io.InvalidObjectException("unknown shared-state type code " + typeCode);
        }
        final StateFile file = StateFile.attach(Path.of(path), type, name);
        switch (type) {
            case LONG_VALUE:
                return new SharedLong(file);
            case INT_VALUE:
                return new SharedInt(file);
            case DOUBLE_VALUE:
                return new SharedDouble(file);
            case LONG_ARRAY:
                return new SharedLongArray(file);
            case INT_ARRAY:
                return new SharedIntArray(file);
            case DOUBLE_ARRAY:
                return new SharedDoubleArray(file);
            case SEGMENT:
                return new SharedSegment(file);
            default:
                throw new java.io.InvalidObjectException("unknown shared-state type " + type);
        }
    }
}
