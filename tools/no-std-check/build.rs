// The freestanding binary brings its own `_start`: no C runtime start files.
fn main() {
    println!("cargo:rustc-link-arg-bin=nostd-verify=-nostartfiles");
}
