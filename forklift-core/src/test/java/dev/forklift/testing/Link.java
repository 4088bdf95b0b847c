package dev.forklift.testing;

import java.io.Serializable;

/**
 * One link of a singly linked chain: the deeply nested value of the codec tests (a chain of n links is an object
 * graph n levels deep). Equality, hash and length are computed iteratively, so a chain 300,000 long compares without
 * a stack overflow; only serialization recurses.
 */
public final class Link implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int value;
    private final Link next;

    /**
     * @param value the value of this link.
     * @param next  the rest of the chain, or null.
     */
    public Link(final int value, final Link next) {
        this.value = value;
        this.next = next;
    }

    /**
     * @param length links, at least 1.
     * @return a chain of that many links holding length-1, ..., 1, 0 from its head.
     */
    public static Link chain(final int length) {
        Link head = null;
        for (int i = 0; i < length; i++) {
            head = new Link(i, head);
        }
        return head;
    }

    /** @return the value of this link. */
    public int value() {
        return value;
    }

    /** @return the next link, or null. */
    public Link next() {
        return next;
    }

    /** @return the number of links from this one to the end. */
    public int length() {
        int length = 0;
        for (Link l = this; l != null; l = l.next) {
            length++;
        }
        return length;
    }

    @Override
    public boolean equals(final Object other) {
        Link a = this;
        Link b = other instanceof Link ? (Link) other : null;
        while (a != null && b != null) {
            if (a.value != b.value) {
                return false;
            }
            a = a.next;
            b = b.next;
        }
        return a == null && b == null;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (Link l = this; l != null; l = l.next) {
            hash = 31 * hash + l.value;
        }
        return hash;
    }

    @Override
    public String toString() {
        return "Link[length=" + length() + ", head=" + value + ']';
    }
}
