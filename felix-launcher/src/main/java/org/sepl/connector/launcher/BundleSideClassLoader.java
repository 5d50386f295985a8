package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.InputStream;

/**
 * Loads the launcher code that must use the framework's bundle classes (package
 * {@value #OWN_PACKAGE}) on top of a bundle's class loader: those classes are defined here from the launcher jar's
 * bytes, see the bundle's packages (its own and its imports) through the parent, and the rest of the launcher's
 * classes ({@code org.sepl.connector.launcher.*}, the contract between both sides) through the launcher's loader.
 */
final class BundleSideClassLoader extends ClassLoader {

    static final String OWN_PACKAGE = "org.sepl.connector.launcher.sqlite";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader launcher = BundleSideClassLoader.class.getClassLoader();

    /** @param bundleLoader the class loader of the bundle whose packages the code uses (its wiring's) */
    BundleSideClassLoader(ClassLoader bundleLoader) {
        super("launcher-on-bundle", bundleLoader);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                if (name.startsWith(OWN_PACKAGE + ".")) {
                    type = findClass(name);
                } else if (name.startsWith("org.sepl.connector.launcher.")) {
                    type = launcher.loadClass(name);
                } else {
                    type = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = launcher.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
