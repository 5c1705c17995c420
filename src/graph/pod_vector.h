#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace ecsguard::graph::internal {

// A vector of trivially copyable elements that grows with realloc. For large buffers glibc
// serves realloc from mmap and moves the pages with mremap instead of copying them, so growing
// a vector of hundreds of MB does not hold the old and the new buffer at once (std::vector
// peaks at 1.5x its final capacity while it grows). Capacity that was never written is never
// touched, so it costs address space, not resident memory.
template <typename T>
class PodVector {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  PodVector() = default;
  PodVector(const PodVector&) = delete;
  PodVector& operator=(const PodVector&) = delete;
  PodVector(PodVector&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)),
        capacity_(std::exchange(o.capacity_, 0)) {}
  PodVector& operator=(PodVector&& o) noexcept {
    if (this != &o) {
      std::free(data_);
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
    }
    return *this;
  }
  ~PodVector() { std::free(data_); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }

  void reserve(size_t n) {
    if (n <= capacity_) return;
    void* p = std::realloc(static_cast<void*>(data_), n * sizeof(T));
    if (!p) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    capacity_ = n;
  }
  void push_back(const T& v) {
    T copy = v;  // `v` may be an element of this vector
    if (size_ == capacity_) Grow(size_ + 1);
    data_[size_++] = copy;
  }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) Grow(size_ + 1);
    data_[size_] = T{std::forward<Args>(args)...};
    return data_[size_++];
  }
  void resize(size_t n, const T& value) {
    T fill = value;  // `value` may be an element of this vector
    if (n > capacity_) Grow(n);
    for (size_t i = size_; i < n; ++i) data_[i] = fill;
    size_ = n;
  }
  void clear() { size_ = 0; }

 private:
  void Grow(size_t at_least) {
    size_t n = capacity_ < 16 ? 16 : capacity_ * 2;
    reserve(n < at_least ? at_least : n);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace ecsguard::graph::internal
