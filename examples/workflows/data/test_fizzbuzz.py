# Tests for codegen.yaml's default spec, appended to the generated code. A failing assert exits 1.
assert fizzbuzz(5) == ["1", "2", "Fizz", "4", "Buzz"], fizzbuzz(5)
assert fizzbuzz(15)[-1] == "FizzBuzz", fizzbuzz(15)
assert fizzbuzz(0) == [], fizzbuzz(0)
print("all tests passed")
