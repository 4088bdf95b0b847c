package dev.forklift.codec;

/**
 * A class outside the codec's {@link AllowList} was about to be encoded or decoded. When decoding, the class
 * was refused before any object of it was created.
 *
 * @serial exclude
 */
public class ClassNotAllowedException extends CodecException {
    private static final long serialVersionUID = 1L;

    private final String className;

    /** @param className the binary name of the refused class. */
    public ClassNotAllowedException(final String className) {
        super("class not allowed by the codec's allow-list: " + className
            + " (allow it with AllowList.allow(...) or allowPackage(...) when creating the queue)");
        this.className = className;
    }

    /** @return the binary name of the refused class. */
    public String className() {
        return className;
    }
}
