//! A freestanding verifier: no `std`, no C runtime start files, its own
//! entry point, allocator and system calls (x86_64 Linux). It reads
//! `VK || STATE(88) || HEADER(156) || PROOF(128) || NOW(8, big-endian)` from
//! stdin, runs `[PROOF-VERIFY]` with the no_std verifier and exits 0 when the
//! proof is accepted, 1 when it is refused, 2 on malformed input. It prints
//! the bytes its bump allocator handed out (never reused: an upper bound on
//! the heap one verification needs).
//!
//! STATE is the C ABI's layout: chain_id, height, timestamp (u64
//! big-endian), header hash (32 bytes), signing set (32 bytes big-endian).
#![no_std]
#![no_main]

extern crate alloc;

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};

use zklc_primitives::{Header, HeaderHash, TrustOptions, TrustedState};

const ARENA: usize = 1 << 20;
const INPUT_MAX: usize = 64 * 1024;
const STATE_LEN: usize = 88;
const TAIL: usize = STATE_LEN + 156 + 128 + 8;

/// A bump allocator over a static arena: allocations are never reused.
struct Bump {
    next: AtomicUsize,
}

#[repr(C, align(64))]
struct Arena([u8; ARENA]);
static mut HEAP: Arena = Arena([0; ARENA]);

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = core::ptr::addr_of_mut!(HEAP) as usize;
        let mut start = 0;
        let claimed = self
            .next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |next| {
                start = (base + next).next_multiple_of(layout.align()) - base;
                let end = start.checked_add(layout.size())?;
                (end <= ARENA).then_some(end)
            });
        match claimed {
            Ok(_) => (base + start) as *mut u8,
            Err(_) => core::ptr::null_mut(),
        }
    }
    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static ALLOC: Bump = Bump {
    next: AtomicUsize::new(0),
};

mod sys {
    use core::arch::asm;

    pub fn read(fd: usize, buf: &mut [u8]) -> isize {
        let ret: isize;
        // SAFETY: read(2) into a buffer we own, of its length.
        unsafe {
            asm!("syscall", inlateout("rax") 0isize => ret, in("rdi") fd,
                 in("rsi") buf.as_mut_ptr(), in("rdx") buf.len(),
                 lateout("rcx") _, lateout("r11") _, options(nostack));
        }
        ret
    }

    pub fn write(fd: usize, buf: &[u8]) {
        // SAFETY: write(2) from a buffer we own, of its length.
        unsafe {
            asm!("syscall", inlateout("rax") 1isize => _, in("rdi") fd,
                 in("rsi") buf.as_ptr(), in("rdx") buf.len(),
                 lateout("rcx") _, lateout("r11") _, options(nostack));
        }
    }

    pub fn exit(code: i32) -> ! {
        // SAFETY: exit_group(2) does not return.
        unsafe {
            asm!("syscall", in("rax") 231, in("rdi") code, options(noreturn, nostack));
        }
    }
}

/// The memory functions the compiler calls, with no C library behind them
/// (`rep movsb`/`rep stosb`; comparisons byte by byte through volatile
/// reads, so that no optimisation turns them back into calls to themselves).
mod mem {
    use core::arch::asm;

    #[no_mangle]
    unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract: n bytes valid at both, no overlap.
        unsafe {
            asm!("rep movsb", inout("rdi") dst => _, inout("rsi") src => _,
                 inout("rcx") n => _, options(nostack, preserves_flags));
        }
        dst
    }

    #[no_mangle]
    unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        if (dst as usize) <= (src as usize) || (dst as usize) >= (src as usize) + n {
            // SAFETY: a forward copy is correct when dst is not inside src.
            return unsafe { memcpy(dst, src, n) };
        }
        // SAFETY: copy backwards (direction flag set, then cleared).
        unsafe {
            asm!("std", "rep movsb", "cld",
                 inout("rdi") dst.add(n - 1) => _, inout("rsi") src.add(n - 1) => _,
                 inout("rcx") n => _, options(nostack));
        }
        dst
    }

    #[no_mangle]
    unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract: n bytes writable at dst.
        unsafe {
            asm!("rep stosb", inout("rdi") dst => _, inout("rcx") n => _,
                 in("al") c as u8, options(nostack, preserves_flags));
        }
        dst
    }

    #[no_mangle]
    unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        for i in 0..n {
            // SAFETY: the caller's contract: n bytes readable at both.
            let (x, y) = unsafe { (a.add(i).read_volatile(), b.add(i).read_volatile()) };
            if x != y {
                return x as i32 - y as i32;
            }
        }
        0
    }

    #[no_mangle]
    unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: as memcmp.
        unsafe { memcmp(a, b, n) }
    }
}

fn be_u64(b: &[u8]) -> u64 {
    u64::from_be_bytes(b.try_into().unwrap_or([0; 8]))
}

fn run(input: &[u8]) -> i32 {
    if input.len() <= TAIL {
        return 2;
    }
    let (vk, tail) = input.split_at(input.len() - TAIL);
    let (state, tail) = tail.split_at(STATE_LEN);
    let (header, tail) = tail.split_at(156);
    let (proof, now) = tail.split_at(128);
    let Ok(header) = Header::decode(header) else {
        return 2;
    };
    let Ok(set_bytes) = <&[u8; 32]>::try_from(&state[56..88]) else {
        return 2;
    };
    let Some(signing_set) = zklc_primitives::field::fr_from_be_bytes(set_bytes) else {
        return 2;
    };
    let trusted = TrustedState {
        chain_id: be_u64(&state[0..8]),
        height: be_u64(&state[8..16]),
        timestamp: be_u64(&state[16..24]),
        header_hash: HeaderHash(state[24..56].try_into().unwrap_or([0; 32])),
        signing_set,
    };
    let Ok(vk) = zklc_verifier::decode_verifying_key(vk, &zklc_verifier::DEPTH1) else {
        return 2;
    };
    let Ok(pvk) = zklc_verifier::prepare(&vk) else {
        return 2;
    };
    let options = TrustOptions::default();
    match zklc_verifier::verify(&pvk, &trusted, &header, proof, be_u64(now), &options) {
        Ok(_) => 0,
        Err(_) => 1,
    }
}

fn decimal(mut x: usize, out: &mut [u8; 20]) -> &[u8] {
    let mut i = out.len();
    loop {
        i -= 1;
        out[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            return &out[i..];
        }
    }
}

extern "C" fn main() -> ! {
    static mut INPUT: [u8; INPUT_MAX] = [0; INPUT_MAX];
    // SAFETY: single-threaded; the only reference to INPUT.
    let buf = unsafe { &mut *core::ptr::addr_of_mut!(INPUT) };
    let mut len = 0;
    loop {
        let n = sys::read(0, &mut buf[len..]);
        if n < 0 {
            sys::exit(2);
        }
        if n == 0 {
            break;
        }
        len += n as usize;
        if len == INPUT_MAX {
            sys::exit(2);
        }
    }
    let code = run(&buf[..len]);
    let mut digits = [0u8; 20];
    sys::write(1, b"heap bytes allocated: ");
    sys::write(1, decimal(ALLOC.next.load(Ordering::SeqCst), &mut digits));
    sys::write(
        1,
        if code == 0 {
            b"\naccepted\n"
        } else {
            b"\nrefused\n"
        },
    );
    sys::exit(code)
}

/// The entry point: align the stack as the C ABI expects, then `main`.
#[unsafe(naked)]
#[no_mangle]
unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!("xor ebp, ebp", "and rsp, -16", "call {main}", "ud2", main = sym main);
}

/// The prebuilt `alloc` names an unwinding personality; with `panic =
/// "abort"` nothing unwinds, so it is never called.
#[no_mangle]
extern "C" fn rust_eh_personality() {}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    sys::exit(3)
}
