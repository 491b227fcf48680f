# SPDX-License-Identifier: BSD-2-Clause
# Cross toolchain for the M-mode firmware (Debian's gcc-riscv64-unknown-elf).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_OBJCOPY riscv64-unknown-elf-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_SIZE riscv64-unknown-elf-size CACHE FILEPATH "size")

# No hosted libc: the compiler checks must not try to link a program.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Compile with the explicit Zicsr/Zifencei extensions (GCC 12 needs them for
# csrr/fence.i). Linking uses the plain rv64imac/lp64 name, because the
# _zicsr suffix breaks multilib selection of libgcc (platform.md).
set(COVEMON_FW_MARCH "-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany")
set(CMAKE_C_FLAGS_INIT "${COVEMON_FW_MARCH} -ffreestanding -fno-builtin -nostdlib")
set(CMAKE_ASM_FLAGS_INIT "${COVEMON_FW_MARCH}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=rv64imac -mabi=lp64 -nostdlib -static")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
