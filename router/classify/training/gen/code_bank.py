"""Code written for this generator: snippets in many programming languages (with comments in
several natural languages), programming tasks, shell, regex, SQL schemas, search queries and
error messages."""

PLS = ["Python", "JavaScript", "TypeScript", "Java", "C", "C++", "C#", "Go", "Rust", "Ruby",
       "PHP", "Kotlin", "Swift", "Scala", "Haskell", "Lua", "R", "Julia", "Perl", "Dart",
       "Elixir", "Clojure", "F#", "OCaml", "Zig", "Objective-C", "MATLAB", "Fortran", "COBOL"]
PL_LOWER = ["python", "js", "javascript", "typescript", "java", "golang", "rust", "c++", "cpp",
            "c#", "ruby", "php", "kotlin", "swift", "scala", "haskell", "bash", "go", "node"]

SNIPPETS = [
    ("Python", '''def moving_average(values, window):
    """Return the moving averages of `values` over `window` items."""
    if window <= 0:
        raise ValueError("window must be positive")
    out = []
    total = 0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        if i >= window - 1:
            out.append(total / window)
    return out'''),
    ("Python", '''import json

def load_config(path):
    # Read the settings file and fall back to defaults when a key is missing.
    defaults = {"port": 8080, "debug": False}
    with open(path) as f:
        data = json.load(f)
    for key, value in defaults.items():
        data.setdefault(key, value)
    return data'''),
    ("Python", '''class Stack:
    """A simple LIFO stack backed by a list."""

    def __init__(self):
        self._items = []

    def push(self, item):
        self._items.append(item)

    def pop(self):
        # Raises IndexError when the stack is empty.
        return self._items.pop()

    def __len__(self):
        return len(self._items)'''),
    ("Python", '''def find_duplicates(items):
    seen = set()
    dups = []
    for x in items:
        if x in seen:
            dups.append(x)
        seen.add(x)
    return dups'''),
    ("Python", '''def is_palindrome(s: str) -> bool:
    """Check whether a string reads the same forwards and backwards,
    ignoring case and non-alphanumeric characters."""
    cleaned = [c.lower() for c in s if c.isalnum()]
    return cleaned == cleaned[::-1]'''),
    ("Python", '''import requests

def fetch_user(user_id):
    resp = requests.get(f"https://api.example.com/users/{user_id}", timeout=5)
    resp.raise_for_status()
    return resp.json()["name"]'''),
    ("Python", '''def merge_sorted(a, b):
    # Merge two sorted lists into one sorted list in linear time.
    i = j = 0
    result = []
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            result.append(a[i]); i += 1
        else:
            result.append(b[j]); j += 1
    result.extend(a[i:])
    result.extend(b[j:])
    return result'''),
    ("Python", '''def word_count(text):
    counts = {}
    for word in text.split():
        word = word.strip(".,!?").lower()
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])'''),
    ("JavaScript", '''// Debounce: call `fn` only after `wait` ms have passed without another call.
function debounce(fn, wait) {
  let timer = null;
  return function (...args) {
    clearTimeout(timer);
    timer = setTimeout(() => fn.apply(this, args), wait);
  };
}'''),
    ("JavaScript", '''async function getTodos() {
  const res = await fetch('/api/todos');
  if (!res.ok) throw new Error('request failed: ' + res.status);
  const todos = await res.json();
  return todos.filter(t => !t.done).map(t => t.title);
}'''),
    ("JavaScript", '''const express = require('express');
const app = express();

// Return the list of products, optionally filtered by category.
app.get('/products', (req, res) => {
  const { category } = req.query;
  const items = category ? products.filter(p => p.category === category) : products;
  res.json(items);
});

app.listen(3000);'''),
    ("TypeScript", '''interface User {
  id: number;
  email: string;
  active: boolean;
}

// Group users by the domain of their e-mail address.
export function byDomain(users: User[]): Map<string, User[]> {
  const groups = new Map<string, User[]>();
  for (const u of users) {
    const domain = u.email.split('@')[1];
    groups.set(domain, [...(groups.get(domain) ?? []), u]);
  }
  return groups;
}'''),
    ("Java", '''public class Counter {
    private int count = 0;

    // Increment the counter; not thread-safe.
    public void increment() {
        count++;
    }

    public int get() {
        return count;
    }
}'''),
    ("Java", '''public static int binarySearch(int[] arr, int target) {
    int lo = 0, hi = arr.length - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (arr[mid] == target) return mid;
        if (arr[mid] < target) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}'''),
    ("Java", '''List<String> names = new ArrayList<>();
for (Employee e : employees) {
    if (e.getSalary() > 50000) {
        names.add(e.getName().toUpperCase());
    }
}
Collections.sort(names);'''),
    ("C", '''#include <stdio.h>
#include <string.h>

/* Reverse a string in place. */
void reverse(char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n / 2; i++) {
        char tmp = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = tmp;
    }
}'''),
    ("C", '''int *copy_array(int *src, int n) {
    int *dst = malloc(n * sizeof(int));
    for (int i = 0; i <= n; i++) {
        dst[i] = src[i];
    }
    return dst;
}'''),
    ("C++", '''#include <vector>
#include <algorithm>

// Returns the k largest elements, in descending order.
std::vector<int> topK(std::vector<int> v, size_t k) {
    std::sort(v.begin(), v.end(), std::greater<int>());
    if (v.size() > k) v.resize(k);
    return v;
}'''),
    ("C++", '''class Matrix {
 public:
  Matrix(int rows, int cols) : rows_(rows), cols_(cols), data_(rows * cols, 0.0) {}
  double& at(int r, int c) { return data_[r * cols_ + c]; }
  int rows() const { return rows_; }
 private:
  int rows_, cols_;
  std::vector<double> data_;
};'''),
    ("Go", '''package main

import "fmt"

// Fib returns the n-th Fibonacci number iteratively.
func Fib(n int) int {
	a, b := 0, 1
	for i := 0; i < n; i++ {
		a, b = b, a+b
	}
	return a
}

func main() {
	fmt.Println(Fib(10))
}'''),
    ("Go", '''func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		lines = append(lines, scanner.Text())
	}
	return lines, scanner.Err()
}'''),
    ("Rust", '''/// Counts how often each word occurs in `text`.
fn word_freq(text: &str) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for w in text.split_whitespace() {
        *map.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    map
}'''),
    ("Rust", '''struct Point { x: f64, y: f64 }

impl Point {
    // Euclidean distance between two points.
    fn dist(&self, other: &Point) -> f64 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }
}'''),
    ("Ruby", '''# Returns the titles of published posts, newest first.
def published_titles(posts)
  posts.select { |p| p[:published] }
       .sort_by { |p| -p[:created_at].to_i }
       .map { |p| p[:title] }
end'''),
    ("PHP", '''<?php
// Connect to the database and fetch all active users.
$pdo = new PDO('mysql:host=localhost;dbname=shop', $user, $pass);
$stmt = $pdo->query("SELECT * FROM users WHERE active = 1");
foreach ($stmt as $row) {
    echo $row['name'] . "\\n";
}'''),
    ("Kotlin", '''data class Order(val id: Int, val total: Double)

// Sum of all orders above the given threshold.
fun bigOrdersTotal(orders: List<Order>, threshold: Double): Double =
    orders.filter { it.total > threshold }.sumOf { it.total }'''),
    ("Swift", '''func average(_ numbers: [Double]) -> Double? {
    // Returns nil for an empty array.
    guard !numbers.isEmpty else { return nil }
    return numbers.reduce(0, +) / Double(numbers.count)
}'''),
    ("C#", '''public static string Capitalize(string s)
{
    // Upper-case the first letter of every word.
    var words = s.Split(' ');
    for (int i = 0; i < words.Length; i++)
        if (words[i].Length > 0)
            words[i] = char.ToUpper(words[i][0]) + words[i].Substring(1);
    return string.Join(" ", words);
}'''),
    ("Haskell", '''-- Quicksort on lists.
qsort :: Ord a => [a] -> [a]
qsort [] = []
qsort (p:xs) = qsort [x | x <- xs, x < p] ++ [p] ++ qsort [x | x <- xs, x >= p]'''),
    ("Bash", '''#!/bin/bash
# Back up every .conf file into a dated archive.
DEST=/backup/$(date +%F)
mkdir -p "$DEST"
for f in /etc/*.conf; do
  cp "$f" "$DEST/"
done
tar czf "$DEST.tar.gz" "$DEST"'''),
    ("SQL", '''SELECT c.name, COUNT(o.id) AS orders
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
WHERE o.created_at >= '2024-01-01'
GROUP BY c.name
HAVING COUNT(o.id) > 5
ORDER BY orders DESC;'''),
    ("Python", '''# Calcola il prezzo finale applicando lo sconto e l'IVA.
def prezzo_finale(prezzo, sconto, iva=0.22):
    # lo sconto è una percentuale tra 0 e 100
    scontato = prezzo * (1 - sconto / 100)
    return round(scontato * (1 + iva), 2)'''),
    ("Python", '''def berechne_durchschnitt(noten):
    """Berechnet den Durchschnitt einer Liste von Noten.
    Gibt None zurück, wenn die Liste leer ist."""
    if not noten:
        return None
    # Summe durch Anzahl teilen
    return sum(noten) / len(noten)'''),
    ("JavaScript", '''// Vérifie si l'adresse e-mail est valide avant d'envoyer le formulaire.
function validerEmail(email) {
  // une expression simple suffit pour ce cas
  return /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(email);
}'''),
    ("Python", '''def contar_vocales(texto):
    # Cuenta cuántas vocales hay en el texto, sin distinguir mayúsculas.
    vocales = "aeiouáéíóú"
    return sum(1 for c in texto.lower() if c in vocales)'''),
    ("Java", '''/**
 * 计算购物车中所有商品的总价。
 * 如果购物车为空，返回 0。
 */
public double totalPrice(List<Item> cart) {
    double sum = 0;
    for (Item item : cart) {
        sum += item.getPrice() * item.getQuantity(); // 单价乘以数量
    }
    return sum;
}'''),
    ("Python", '''def 平均を計算(数値リスト):
    # 空のリストの場合は 0 を返す
    if not 数値リスト:
        return 0
    return sum(数値リスト) / len(数値リスト)'''),
    ("Go", '''// Проверяет, является ли число простым.
func isPrime(n int) bool {
	if n < 2 {
		return false
	}
	// достаточно проверить делители до корня из n
	for i := 2; i*i <= n; i++ {
		if n%i == 0 {
			return false
		}
	}
	return true
}'''),
    ("C", '''/* Calcula o fatorial de n de forma recursiva.
   Atenção: estoura para n > 20 em 64 bits. */
unsigned long long fatorial(int n) {
    if (n <= 1) return 1;
    return n * fatorial(n - 1);
}'''),
    ("Python", '''def gcd(a, b):
    while b:
        a, b = b, a % b
    return a

def lcm(a, b):
    return a * b // gcd(a, b)'''),
    ("JavaScript", '''const users = await db.collection('users').find({ age: { $gt: 18 } }).toArray();
users.forEach(u => console.log(u.name));'''),
    ("Python", '''import pandas as pd

df = pd.read_csv("sales.csv")
monthly = df.groupby(df["date"].str[:7])["amount"].sum()
print(monthly.sort_values(ascending=False).head(3))'''),
    ("Rust", '''fn parse_port(s: &str) -> Result<u16, String> {
    s.trim().parse::<u16>().map_err(|e| format!("bad port {}: {}", s, e))
}'''),
    ("C++", '''for (auto it = m.begin(); it != m.end(); ++it) {
    if (it->second == 0) {
        m.erase(it);
    }
}'''),
    ("Python", '''def retry(times):
    def wrap(fn):
        def inner(*args, **kwargs):
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except Exception:
                    if attempt == times - 1:
                        raise
        return inner
    return wrap'''),
    ("Lua", '''-- Returns a new table with the elements of t in reverse order.
function reverse(t)
  local r = {}
  for i = #t, 1, -1 do
    r[#r + 1] = t[i]
  end
  return r
end'''),
    ("Scala", '''// Keep only the even numbers and square them.
def evenSquares(xs: List[Int]): List[Int] =
  xs.filter(_ % 2 == 0).map(x => x * x)'''),
]

# Comment languages of snippets whose comments are not English (for "translate the comments").
SNIPPET_COMMENT_LANG = {
    "prezzo_finale": "it", "berechne_durchschnitt": "de", "validerEmail": "fr",
    "contar_vocales": "es", "totalPrice": "zh", "平均を計算": "ja", "isPrime": "ru",
    "fatorial": "pt",
}


def snippet_comment_lang(code):
    for key, lang in SNIPPET_COMMENT_LANG.items():
        if key in code:
            return lang
    return "en"


def snippet_has_comments(code):
    return any(m in code for m in ("#", "//", "/*", '"""', "--", "///"))


# Programming tasks, English, MBPP-like. (description, function name, example test or None)
TASKS_EN = [
    ("find the maximum product of two numbers in a list", "max_product", "assert max_product([1, 5, -3, 4]) == 20"),
    ("remove all vowels from a given string", "remove_vowels", "assert remove_vowels('banana') == 'bnn'"),
    ("check whether a number is a perfect square", "is_perfect_square", "assert is_perfect_square(49) == True"),
    ("count the number of words in a sentence that start with a capital letter", "count_capitalized", None),
    ("convert a list of tuples into a dictionary", "tuples_to_dict", "assert tuples_to_dict([(1, 'a'), (2, 'b')]) == {1: 'a', 2: 'b'}"),
    ("find the second smallest element in an array", "second_smallest", "assert second_smallest([4, 1, 7, 3]) == 3"),
    ("rotate a list to the right by k positions", "rotate_right", "assert rotate_right([1, 2, 3, 4, 5], 2) == [4, 5, 1, 2, 3]"),
    ("compute the nth Catalan number", "catalan", "assert catalan(5) == 42"),
    ("flatten a nested list of arbitrary depth", "flatten", "assert flatten([1, [2, [3, 4]], 5]) == [1, 2, 3, 4, 5]"),
    ("check if two strings are anagrams of each other", "are_anagrams", "assert are_anagrams('listen', 'silent')"),
    ("return the sum of the digits of a positive integer", "digit_sum", "assert digit_sum(1234) == 10"),
    ("find the longest common prefix of a list of strings", "common_prefix", "assert common_prefix(['flower', 'flow', 'flight']) == 'fl'"),
    ("convert a decimal number to its binary representation as a string", "to_binary", "assert to_binary(10) == '1010'"),
    ("remove duplicate elements from a list while preserving order", "dedupe", "assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]"),
    ("find all pairs in a list whose sum equals a target value", "pairs_with_sum", None),
    ("check whether a given year is a leap year", "is_leap", "assert is_leap(2024) == True"),
    ("compute the factorial of a number using recursion", "factorial", "assert factorial(6) == 720"),
    ("find the length of the longest increasing subsequence", "lis_length", "assert lis_length([10, 9, 2, 5, 3, 7, 101, 18]) == 4"),
    ("split a list into chunks of size n", "chunks", "assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]"),
    ("count the occurrences of each character in a string", "char_counts", None),
    ("return the intersection of two lists without duplicates", "intersect", None),
    ("check whether a string contains only digits", "only_digits", "assert only_digits('12345') == True"),
    ("find the missing number in a list containing 1 to n", "missing_number", "assert missing_number([1, 2, 4, 5]) == 3"),
    ("compute the area of a triangle given its three sides", "triangle_area", None),
    ("convert a snake_case string to camelCase", "snake_to_camel", "assert snake_to_camel('hello_big_world') == 'helloBigWorld'"),
    ("merge two dictionaries, summing the values of common keys", "merge_counts", None),
    ("find the kth largest element in an unsorted list", "kth_largest", "assert kth_largest([3, 2, 1, 5, 6, 4], 2) == 5"),
    ("check whether brackets in an expression are balanced", "balanced", "assert balanced('{[()]}') == True"),
    ("return the first non-repeating character of a string", "first_unique", "assert first_unique('swiss') == 'w'"),
    ("compute the greatest common divisor of two integers", "gcd", "assert gcd(48, 18) == 6"),
    ("transpose a matrix given as a list of lists", "transpose", "assert transpose([[1, 2], [3, 4]]) == [[1, 3], [2, 4]]"),
    ("count the number of set bits in an integer", "count_bits", "assert count_bits(13) == 3"),
    ("find the median of a list of numbers", "median", "assert median([3, 1, 4, 2]) == 2.5"),
    ("validate an IPv4 address", "valid_ipv4", "assert valid_ipv4('192.168.1.300') == False"),
    ("generate all permutations of a string", "permutations", None),
    ("find the most frequent element in a list", "most_frequent", "assert most_frequent([1, 3, 3, 2, 3]) == 3"),
    ("sort a list of dictionaries by a given key", "sort_by_key", None),
    ("check whether a linked list has a cycle", "has_cycle", None),
    ("reverse the words in a sentence", "reverse_words", "assert reverse_words('the sky is blue') == 'blue is sky the'"),
    ("compute the sum of all even Fibonacci numbers below n", "even_fib_sum", "assert even_fib_sum(100) == 44"),
    ("find the index of the first occurrence of a substring without using built-in search", "find_sub", None),
    ("convert Roman numerals to integers", "roman_to_int", "assert roman_to_int('MCMXCIV') == 1994"),
    ("return the n most common words in a text file", "top_words", None),
    ("calculate compound interest given principal, rate and years", "compound_interest", None),
    ("remove the kth element from a list", "remove_kth", "assert remove_kth(['a', 'b', 'c', 'd'], 2) == ['a', 'c', 'd']"),
    ("check if a number is an Armstrong number", "is_armstrong", "assert is_armstrong(153) == True"),
    ("find the maximum sum of a contiguous subarray", "max_subarray", "assert max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6"),
    ("compress a string using run-length encoding", "rle", "assert rle('aaabcc') == 'a3b1c2'"),
    ("compute the dot product of two vectors", "dot", "assert dot([1, 2, 3], [4, 5, 6]) == 32"),
    ("find all prime numbers up to n using the sieve of Eratosthenes", "primes_up_to", "assert primes_up_to(10) == [2, 3, 5, 7]"),
    ("check whether a binary tree is a valid binary search tree", "is_bst", None),
    ("compute the Levenshtein distance between two strings", "edit_distance", "assert edit_distance('kitten', 'sitting') == 3"),
    ("extract all email addresses from a block of text", "extract_emails", None),
    ("find the minimum number of coins needed to make a given amount", "min_coins", "assert min_coins([1, 5, 10, 25], 63) == 6"),
    ("convert a temperature from Celsius to Fahrenheit", "c_to_f", "assert c_to_f(100) == 212"),
    ("return the list of divisors of a number", "divisors", "assert divisors(12) == [1, 2, 3, 4, 6, 12]"),
    ("count the number of islands in a 2D grid of 0s and 1s", "num_islands", None),
    ("check whether a string is a valid hexadecimal color code", "is_hex_color", "assert is_hex_color('#1a2B3c') == True"),
    ("compute the power set of a set", "power_set", None),
    ("shift every letter in a string by k positions in the alphabet", "caesar", "assert caesar('abc', 2) == 'cde'"),
    ("find the common elements of three sorted arrays", "common_three", None),
    ("implement a queue using two stacks", "TwoStackQueue", None),
    ("implement an LRU cache with get and put in O(1)", "LRUCache", None),
    ("parse a CSV line that may contain quoted fields", "parse_csv_line", None),
    ("return the number of days between two dates", "days_between", None),
    ("compute the perimeter of a regular polygon", "polygon_perimeter", "assert polygon_perimeter(6, 2) == 12"),
    ("check whether all elements of a tuple are the same type", "same_type", None),
    ("find the largest palindrome substring in a string", "longest_palindrome", "assert longest_palindrome('babad') in ('bab', 'aba')"),
    ("sum the elements on the main diagonal of a square matrix", "trace", "assert trace([[1, 2], [3, 4]]) == 5"),
    ("return the element that appears an odd number of times", "odd_one", "assert odd_one([1, 2, 2, 1, 3]) == 3"),
]

# Same kind of tasks, written in other languages.
TASKS_ML = {
    "de": ["prüft, ob eine Zahl eine Primzahl ist", "die Wörter eines Satzes umdreht",
           "alle Duplikate aus einer Liste entfernt", "den größten gemeinsamen Teiler zweier Zahlen berechnet",
           "eine CSV-Datei einliest und die Summe einer Spalte ausgibt",
           "zählt, wie oft jedes Wort in einem Text vorkommt",
           "eine Liste von Strings nach ihrer Länge sortiert", "prüft, ob eine Klammerfolge ausgeglichen ist",
           "eine Dezimalzahl in eine Binärzahl umwandelt", "das zweitgrößte Element einer Liste findet",
           "eine verschachtelte Liste flach macht", "eine E-Mail-Adresse validiert"],
    "fr": ["vérifie si un mot est un palindrome", "calcule la factorielle d'un entier",
           "fusionne deux listes triées", "compte le nombre de voyelles dans une chaîne",
           "renvoie les n premiers nombres de Fibonacci", "supprime les espaces en double dans un texte",
           "trouve l'élément le plus fréquent d'un tableau", "convertit une date au format JJ/MM/AAAA en AAAA-MM-JJ",
           "lit un fichier JSON et affiche les clés", "calcule la moyenne des notes d'une classe",
           "inverse une liste chaînée", "vérifie si deux chaînes sont des anagrammes"],
    "es": ["invierta una cadena sin usar funciones de la biblioteca", "calcule el máximo común divisor de dos números",
           "cuente las palabras de un archivo de texto", "ordene una lista de diccionarios por edad",
           "compruebe si un año es bisiesto", "devuelva los números primos menores que n",
           "elimine los elementos repetidos de un arreglo", "convierta grados Celsius a Fahrenheit",
           "encuentre la subcadena común más larga de dos cadenas", "valide un número de teléfono",
           "sume los dígitos de un número entero", "calcule el área de un círculo dado su radio"],
    "it": ["controlli se una stringa è palindroma", "calcoli la somma degli elementi di una lista",
           "trovi il massimo in un array senza usare max()", "conti le vocali in una frase",
           "ordini una lista di numeri con il bubble sort", "legga un file e stampi le righe in ordine inverso",
           "converta un numero romano in intero", "rimuova i duplicati da una lista"],
    "pt": ["verifique se um número é primo", "inverta as palavras de uma frase",
           "calcule a média de uma lista de números", "conte quantas vezes cada letra aparece numa string",
           "ordene uma lista de produtos pelo preço", "leia um arquivo CSV e mostre a soma de uma coluna",
           "valide um CPF", "encontre o segundo maior valor de um vetor"],
    "nl": ["controleert of een getal een priemgetal is", "de woorden in een zin omdraait",
           "dubbele elementen uit een lijst verwijdert", "het gemiddelde van een lijst berekent",
           "een tekstbestand inleest en de regels telt", "een string naar hoofdletters omzet"],
    "ru": ["проверяет, является ли строка палиндромом", "находит наибольший общий делитель двух чисел",
           "удаляет дубликаты из списка, сохраняя порядок", "считает количество слов в тексте",
           "сортирует массив методом быстрой сортировки", "переводит число из десятичной системы в двоичную",
           "находит второй по величине элемент массива", "читает JSON-файл и выводит все ключи",
           "проверяет правильность расстановки скобок", "вычисляет n-е число Фибоначчи",
           "объединяет два отсортированных списка", "валидирует адрес электронной почты"],
    "uk": ["перевіряє, чи є число простим", "рахує кількість голосних у рядку",
           "сортує список рядків за довжиною", "знаходить максимальний елемент масиву"],
    "pl": ["sprawdza, czy liczba jest pierwsza", "odwraca kolejność słów w zdaniu",
           "usuwa duplikaty z listy", "liczy wystąpienia każdego znaku w napisie",
           "sortuje listę słowników według klucza", "oblicza silnię liczby"],
    "tr": ["bir sayının asal olup olmadığını kontrol eden", "bir cümledeki kelimeleri ters çeviren",
           "bir listedeki tekrar eden elemanları silen", "iki sayının en büyük ortak bölenini bulan",
           "bir metindeki kelime sayısını hesaplayan", "bir diziyi küçükten büyüğe sıralayan"],
}

# Languages with word-order-specific wrappers for TASKS_ML.
TASK_WRAPPERS = {
    "de": ["Schreibe eine {PL}-Funktion, die {X}.", "Schreib mir bitte eine Funktion in {PL}, die {X}.",
           "Wie implementiere ich in {PL} eine Funktion, die {X}?", "Ich brauche ein {PL}-Programm, das {X}."],
    "fr": ["Écris une fonction {PL} qui {X}.", "Écrivez un programme en {PL} qui {X}.",
           "Comment coder en {PL} une fonction qui {X} ?", "J'ai besoin d'une fonction {PL} qui {X}."],
    "es": ["Escribe una función en {PL} que {X}.", "Necesito un programa en {PL} que {X}.",
           "¿Cómo hago una función en {PL} que {X}?", "Crea un script de {PL} que {X}."],
    "it": ["Scrivi una funzione in {PL} che {X}.", "Mi serve un programma {PL} che {X}.",
           "Come faccio a scrivere in {PL} una funzione che {X}?"],
    "pt": ["Escreva uma função em {PL} que {X}.", "Preciso de um programa em {PL} que {X}.",
           "Como faço uma função em {PL} que {X}?"],
    "nl": ["Schrijf een {PL}-functie die {X}.", "Hoe maak ik in {PL} een functie die {X}?"],
    "ru": ["Напиши функцию на {PL}, которая {X}.", "Нужна программа на {PL}, которая {X}.",
           "Как написать на {PL} функцию, которая {X}?", "Реализуй на {PL} функцию, которая {X}."],
    "uk": ["Напишіть функцію на {PL}, яка {X}.", "Як написати на {PL} функцію, яка {X}?"],
    "pl": ["Napisz funkcję w {PL}, która {X}.", "Jak napisać w {PL} funkcję, która {X}?"],
    "tr": ["{X} bir {PL} fonksiyonu yaz.", "{PL} dilinde {X} bir program yazar mısın?"],
}

# CJK and other languages: full requests (task and wrapper together). {PL} is filled in.
TASKS_FULL = {
    "zh": ["用{PL}写一个函数，判断一个字符串是不是回文。", "请用{PL}实现快速排序。",
           "写一个{PL}函数，计算列表中所有偶数的和。", "用{PL}写个程序，读取文件并统计每个单词出现的次数。",
           "如何用{PL}把一个嵌套列表展开成一维列表？", "请用{PL}实现一个二分查找函数，找不到时返回-1。",
           "帮我写一个{PL}函数，把日期字符串转换成时间戳。", "用{PL}实现一个线程安全的单例模式。",
           "写一个{PL}脚本，批量重命名文件夹里的图片。", "用{PL}写一个函数，求两个数的最大公约数。",
           "请用{PL}实现链表反转，并给出测试用例。", "用{PL}写一个简单的HTTP服务器，返回 hello world。"],
    "ja": ["{PL}で文字列が回文かどうかを判定する関数を書いてください。", "{PL}でクイックソートを実装してください。",
           "リストの偶数だけを合計する{PL}の関数を作ってください。", "{PL}でファイルを読み込んで単語の出現回数を数えるプログラムを書いて。",
           "{PL}で二分探索を実装する方法を教えてください。", "{PL}で日付の文字列をタイムスタンプに変換する関数を書いてください。",
           "{PL}で重複を取り除く関数を作成してください。", "{PL}で簡単なREST APIを作るコードを書いてください。",
           "このCSVを読み込んで平均を計算する{PL}のコードを書いてください。"],
    "ko": ["{PL}로 문자열이 회문인지 확인하는 함수를 작성해 주세요.", "{PL}로 퀵 정렬을 구현해 줘.",
           "리스트에서 중복을 제거하는 {PL} 함수를 만들어 주세요.", "{PL}로 파일을 읽어서 단어 수를 세는 프로그램을 짜 줘.",
           "{PL}에서 이진 탐색을 구현하는 방법을 알려 주세요.", "{PL}로 간단한 웹 서버를 만드는 코드를 작성해 주세요."],
    "ar": ["اكتب دالة بلغة {PL} تتحقق مما إذا كان العدد أوليًا.", "كيف أكتب برنامجًا بلغة {PL} يعكس سلسلة نصية؟",
           "اكتب كود {PL} لقراءة ملف وحساب عدد الكلمات فيه.", "نفّذ خوارزمية الترتيب السريع بلغة {PL}."],
    "hi": ["{PL} में एक फ़ंक्शन लिखिए जो जाँचे कि संख्या अभाज्य है या नहीं।", "{PL} में किसी स्ट्रिंग को उल्टा करने का कोड लिखो।",
           "{PL} में बबल सॉर्ट लागू कीजिए।", "{PL} में एक प्रोग्राम लिखें जो फ़ाइल की पंक्तियाँ गिने।"],
    "vi": ["Viết hàm {PL} kiểm tra một số có phải số nguyên tố không.", "Viết chương trình {PL} đảo ngược một chuỗi."],
    "id": ["Buat fungsi {PL} untuk mengecek apakah sebuah kata palindrom.", "Tulis program {PL} yang menghitung jumlah kata dalam file."],
    "sv": ["Skriv en funktion i {PL} som kontrollerar om ett tal är ett primtal.", "Hur sorterar jag en lista med ordböcker i {PL}?"],
    "cs": ["Napiš funkci v {PL}, která zjistí, zda je číslo prvočíslo.", "Jak v {PL} načíst soubor po řádcích?"],
}

# Function stubs with docstrings, written for this generator: (signature, doc, examples, body).
FUNC_SPECS = [
    ("def count_runs(s: str) -> int:", "Return the number of maximal runs of equal characters in s.",
     [">>> count_runs('aabccc')", "3"], "    return sum(1 for i, c in enumerate(s) if i == 0 or s[i - 1] != c)"),
    ("def clamp_all(values: list, lo: float, hi: float) -> list:", "Clamp every value into the closed interval [lo, hi].",
     [">>> clamp_all([-2, 5, 11], 0, 10)", "[0, 5, 10]"], "    return [min(max(v, lo), hi) for v in values]"),
    ("def initials(full_name: str) -> str:", "Return the upper-case initials of a full name, each followed by a dot.",
     [">>> initials('ada lovelace')", "'A.L.'"], "    return ''.join(p[0].upper() + '.' for p in full_name.split())"),
    ("def longest_word(sentence: str) -> str:", "Return the longest word of the sentence; on ties, the first one.",
     [">>> longest_word('a bb ccc dd')", "'ccc'"], "    return max(sentence.split(), key=len, default='')"),
    ("def interleave(a: list, b: list) -> list:", "Alternate the elements of a and b, then append the leftovers\n    of the longer list.",
     [">>> interleave([1, 2, 3], ['x'])", "[1, 'x', 2, 3]"], None),
    ("def histogram(nums: list, width: int) -> dict:", "Count numbers per bin of the given width; keys are the bin starts.",
     [">>> histogram([1, 2, 7], 5)", "{0: 2, 5: 1}"], None),
    ("def seconds_to_clock(total: int) -> str:", "Format a number of seconds as H:MM:SS.",
     [">>> seconds_to_clock(3725)", "'1:02:05'"],
     "    h, rest = divmod(total, 3600)\n    m, s = divmod(rest, 60)\n    return f'{h}:{m:02d}:{s:02d}'"),
    ("def digital_root(n: int) -> int:", "Sum the digits of n repeatedly until a single digit remains.",
     [">>> digital_root(9875)", "2"], "    while n >= 10:\n        n = sum(int(d) for d in str(n))\n    return n"),
    ("def nearest_multiple(x: int, k: int) -> int:", "Return the multiple of k closest to x, rounding halves up.",
     [">>> nearest_multiple(17, 5)", "15"], None),
    ("def mask_email(address: str) -> str:", "Replace all but the first character of the local part with asterisks.",
     [">>> mask_email('maria@example.org')", "'m****@example.org'"],
     "    local, domain = address.split('@', 1)\n    return local[0] + '*' * (len(local) - 1) + '@' + domain"),
    ("def staircase(n: int) -> list:", "Return n strings that draw a right-aligned staircase of '#'.",
     [">>> staircase(3)", "['  #', ' ##', '###']"], "    return [' ' * (n - i) + '#' * i for i in range(1, n + 1)]"),
    ("def vowel_ratio(text: str) -> float:", "Return the share of letters in text that are vowels, rounded to two decimals.",
     [">>> vowel_ratio('banana')", "0.5"], None),
    ("def merge_intervals(intervals: list) -> list:", "Merge overlapping [start, end] intervals and return them sorted.",
     [">>> merge_intervals([[1, 3], [2, 6], [8, 9]])", "[[1, 6], [8, 9]]"], None),
    ("def parse_duration(s: str) -> int:", "Convert a duration such as '1h30m' or '45s' into seconds.",
     [">>> parse_duration('1h30m')", "5400"], None),
    ("def alternating_signs(xs: list) -> bool:", "Return True if consecutive numbers alternate between positive and\n    negative values; a zero breaks the pattern.",
     [">>> alternating_signs([1, -2, 3])", "True", ">>> alternating_signs([1, 0, -1])", "False"], None),
    ("def bits_to_bytes(bits: str) -> bytes:", "Convert a string of 0s and 1s, whose length is a multiple of 8, into bytes.",
     [">>> bits_to_bytes('0100000101000010')", "b'AB'"],
     "    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))"),
    ("def top_scorer(scores: dict) -> str:", "Return the name with the highest score; ties go to the alphabetically\n    first name.",
     [">>> top_scorer({'li': 3, 'ann': 3, 'bo': 1})", "'ann'"], "    return min(scores, key=lambda k: (-scores[k], k))"),
    ("def spiral(matrix: list) -> list:", "Return the elements of a rectangular matrix in clockwise spiral order.",
     [">>> spiral([[1, 2], [3, 4]])", "[1, 2, 4, 3]"], None),
    ("def compact_ranges(nums: list) -> str:", "Summarise sorted integers as ranges separated by commas.",
     [">>> compact_ranges([1, 2, 3, 7, 8])", "'1-3,7-8'"], None),
    ("def wrap_text(text: str, width: int) -> list:", "Wrap text into lines of at most width characters without splitting words.",
     [], None),
    ("def safe_divide(a: float, b: float, default: float = 0.0) -> float:", "Divide a by b, returning default when b is zero.",
     [">>> safe_divide(1, 0, -1)", "-1"], "    return default if b == 0 else a / b"),
    ("def run_length_decode(s: str) -> str:", "Decode strings such as 'x2y3' into 'xxyyy'.",
     [">>> run_length_decode('x2y3')", "'xxyyy'"], None),
    ("def second_most_common(words: list) -> str:", "Return the second most frequent word, or '' if there is none.",
     [">>> second_most_common(['a', 'b', 'a', 'c', 'b', 'a'])", "'b'"], None),
    ("def temperature_trend(readings: list) -> str:", "Return 'rising', 'falling' or 'mixed' for a list of temperatures.",
     [">>> temperature_trend([12, 14, 15])", "'rising'"], None),
]

FUNC_SPECS_OTHER = [
    ("JavaScript", "/**\n * Returns the number of vowels in `str`.\n * @param {string} str\n * @returns {number}\n */\nfunction countVowels(str) {\n  // TODO\n}"),
    ("Go", "// Reverse returns its argument string reversed rune-wise.\nfunc Reverse(s string) string {\n\t// TODO\n}"),
    ("Rust", "/// Returns true when `n` is a power of two.\nfn is_power_of_two(n: u64) -> bool {\n    todo!()\n}"),
    ("Java", "/** Returns the index of the largest element, or -1 for an empty array. */\npublic static int argMax(int[] a) {\n    // TODO\n}"),
    ("C++", "// Returns the n-th row of Pascal's triangle.\nstd::vector<long long> pascalRow(int n) {\n    // TODO\n}"),
    ("TypeScript", "// Deep-clones a plain JSON value.\nexport function deepClone<T>(value: T): T {\n  // TODO\n}"),
]

SHELL_TASKS = [
    "find all .log files under /var/log larger than 100MB",
    "delete all files in the current directory that were not modified in the last 30 days",
    "count the number of lines in every .py file recursively",
    "replace the word foo with bar in all .txt files in this folder",
    "list the 10 largest files in the home directory",
    "show which process is listening on port 8080",
    "compress the logs directory into a tar.gz archive with today's date in the name",
    "print the lines of access.log that contain a 404 status code",
    "find duplicate lines in a file and print how often each occurs",
    "recursively change the permissions of all directories to 755",
    "kill every process whose name contains java",
    "copy all jpg files from subfolders into a single folder",
    "print the third column of a CSV file",
    "rename all files with the .jpeg extension to .jpg",
    "monitor a log file and print new lines as they are written",
    "show disk usage of each subdirectory sorted by size",
    "download a file with curl and retry three times on failure",
    "find all files owned by the user alice and modified today",
    "remove empty directories below the current directory",
    "print the number of unique IP addresses in an nginx access log",
    "search for the string TODO in all source files, excluding the node_modules folder",
    "run a command every 5 minutes using cron",
    "convert all .wav files in a folder to mp3 with ffmpeg",
    "list all git branches merged into main and delete them",
    "print environment variables that start with AWS",
    "sort a file numerically by its second column",
    "archive files older than a week and move them to /backup",
    "check which Python packages are outdated",
    "get the total size of all .mp4 files in the directory tree",
    "count how many files of each extension exist in a folder",
    "Find all files under current directory whose names end with ~ and delete them",
    "Print the current date in ISO 8601 format",
    "List all symbolic links in the /usr/bin directory",
    "Display the last 50 lines of syslog and follow it",
    "Recursively search for files containing the pattern 'password' ignoring case",
    "Create a directory tree a/b/c in one command",
    "Print the names of all files modified in the last 2 hours",
    "Split a large file into pieces of 100 megabytes each",
    "Show the memory usage of the ten most memory-hungry processes",
    "Merge two sorted files into one sorted output",
    "Set the modification time of every file in the folder to now",
    "Count the number of directories below /etc",
    "Print every line of file.txt that does not start with a hash sign",
    "Find files with the setuid bit set",
    "Print the MD5 checksum of every file in the current directory",
]
SHELL_WRAPPERS = [
    "{X}", "{X}", "{X}", "How do I {x} in bash?", "Bash command to {x}", "Give me a one-liner to {x}.",
    "What's the Linux command to {x}?", "Shell: {x}", "Write a shell script that will {x}.",
    "{X} (bash)", "In the terminal, how can I {x}?", "Using find/grep/awk, {x}.",
    "zsh one-liner: {x}", "I need a command that can {x}. I'm on Ubuntu.",
]

SHELL_CMDS = [
    "find . -type f -name '*.tmp' -mtime +7 -exec rm {} \\;",
    "grep -rIl 'api_key' --include='*.py' . | xargs sed -i 's/api_key/API_KEY/g'",
    "du -sh * | sort -rh | head -n 10",
    "awk -F, 'NR>1 {sum += $3} END {print sum}' sales.csv",
    "ps aux --sort=-%mem | head -n 6",
    "tar -czvf backup_$(date +%Y%m%d).tar.gz /home/user/docs",
    "ls -1 | wc -l",
    "cut -d: -f1 /etc/passwd | sort | uniq -c | sort -nr",
    "find /var/log -name '*.gz' -size +10M -delete",
    "sed -n '10,20p' file.txt",
    "xargs -n 1 -P 4 curl -O < urls.txt",
    "lsof -i :443",
    "chmod -R u+rwX,go-w project/",
    "rsync -avz --delete src/ user@host:/srv/app/",
    "journalctl -u nginx --since '1 hour ago' | grep -i error",
    "for f in *.png; do convert \"$f\" \"${f%.png}.jpg\"; done",
]

REGEX_TASKS = [
    "match a valid email address", "match dates in the format YYYY-MM-DD",
    "match US phone numbers like (555) 123-4567", "find words that start with a capital letter",
    "match a hexadecimal color code such as #a3f or #A3F2C1", "extract all URLs from a page",
    "match strings that contain at least one digit and one uppercase letter",
    "match lines ending with a semicolon", "capture the domain part of an email address",
    "validate a password of 8-20 characters with a digit and a symbol",
    "match an IPv4 address", "match words of exactly five letters",
    "find repeated words like 'the the'", "match a time in 24-hour format HH:MM",
    "strip HTML tags from a string", "match a UK postcode",
    "lines containing the word dog followed later by the word cat",
    "lines that begin with a vowel and end with a number",
    "strings that contain the letter x at least twice",
    "lines with a number before the string 'abc'", "words that contain only lowercase letters",
    "lines that do not contain the character #", "match a semantic version like 1.2.3-beta",
]
REGEX_WRAPPERS = [
    "Write a regular expression to {x}.", "Regex to {x}?", "Give me a regex that will {x}.",
    "What regex would {x}?", "I need a regular expression matching {x}.",
    "I need a regex (PCRE) to {x}.", "Python re pattern to {x}", "JavaScript regex for this: {x}",
]
REGEXES = [r"^(?=.*\d)(?=.*[A-Z]).{8,}$", r"\b\d{3}-\d{2}-\d{4}\b", r"^([01]\d|2[0-3]):[0-5]\d$",
           r"(\w+)\s+\1", r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", r"<[^>]+>",
           r"^\s*#.*$", r"(?<=\$)\d+(\.\d{2})?", r"[aeiou]{2,}", r"^(\d+)\.(\d+)\.(\d+)(-[\w.]+)?$",
           r"(dog).*(cat)", r"^[^#]*$", r"\b[A-Z][a-z]*\b", r"([0-9]+).*(abc)"]

SQL_SCHEMAS = [
    ("employees(id, name, department_id, salary, hire_date)\ndepartments(id, name, location)",
     ["List the names of employees who earn more than the average salary.",
      "Which department has the most employees?", "Find employees hired in 2021, ordered by salary.",
      "Show each department with its average salary.", "How many employees work in Berlin?"]),
    ("students(student_id, name, age, major)\ncourses(course_id, title, credits)\nenrollments(student_id, course_id, grade)",
     ["What are the names of students enrolled in more than three courses?",
      "Find the average grade for each course.", "List students who have never enrolled in a course.",
      "Which course has the highest number of enrollments?", "Show the majors of students older than 25."]),
    ("orders(order_id, customer_id, order_date, total)\ncustomers(customer_id, name, country)\norder_items(order_id, product_id, quantity)",
     ["Find the total revenue per country.", "Which customers placed no orders in 2023?",
      "List the top 5 customers by total spending.", "How many orders were placed each month?",
      "Show the orders whose total is above 1000 together with the customer name."]),
    ("choir(choir_id, choir_name, city, founded)\nrehearsal(rehearsal_id, choir_id, held_on, attendees)",
     ["How many choirs were founded before 1990?", "What is the average attendance per choir?",
      "List the rehearsals held in May together with the choir name."]),
    ("flights(flight_no, origin, destination, departure, arrival, price)\nairlines(id, name, country)",
     ["What is the cheapest flight from Madrid to Rome?", "Count the flights per destination.",
      "Which airline operates the most flights?"]),
    ("books(isbn, title, author_id, year, price)\nauthors(author_id, name, birth_year)",
     ["Which authors have written more than two books?", "List books published before 1950 sorted by title.",
      "What is the average price of books by each author?"]),
    ("products(id, name, category, price, stock)\nsales(id, product_id, sold_at, quantity)",
     ["Which products are out of stock?", "What were the total units sold per category last month?",
      "Find products that have never been sold."]),
    ("patients(id, name, birth_date, city)\nvisits(id, patient_id, doctor_id, visit_date, diagnosis)\ndoctors(id, name, specialty)",
     ["How many visits did each doctor have in 2022?", "List patients who visited a cardiologist.",
      "Which city has the most patients?"]),
]
SQL_WRAPPERS = [
    "Write a SQL query to answer: {q}\n\nSchema:\n{s}", "{q}\n\n{s}", "Need a query for this. {q}\n\n{s}",
    "Given the tables\n{s}\nwrite a query: {q}", "Database schema:\n{s}\n\nQuestion: {q}\nSQL:",
    "{s}\n\n-- {q}", "Using PostgreSQL, {ql}\n\nTables:\n{s}", "Schreibe eine SQL-Abfrage: {q}\n\n{s}",
    "Écris une requête SQL pour : {q}\n\n{s}", "请写一条SQL语句：{q}\n\n{s}",
    "Escribe una consulta SQL: {q}\n\n{s}", "SQLで書いてください：{q}\n\n{s}",
]
SQL_QUERIES = [
    "SELECT name FROM employees WHERE salary > (SELECT AVG(salary) FROM employees);",
    "SELECT d.name, COUNT(*) FROM employees e JOIN departments d ON e.department_id = d.id GROUP BY d.name ORDER BY COUNT(*) DESC LIMIT 1;",
    "SELECT count(*) FROM choir WHERE city = 'Lyon'",
    "SELECT c.country, SUM(o.total) FROM orders o JOIN customers c ON c.customer_id = o.customer_id GROUP BY c.country;",
    "SELECT T1.name FROM students AS T1 JOIN enrollments AS T2 ON T1.student_id = T2.student_id GROUP BY T1.student_id HAVING count(*) > 3",
    "SELECT title FROM books WHERE year < 1950 ORDER BY title",
    "SELECT p.name FROM products p LEFT JOIN sales s ON s.product_id = p.id WHERE s.id IS NULL;",
    "UPDATE accounts SET balance = balance - 100 WHERE id = 7; UPDATE accounts SET balance = balance + 100 WHERE id = 9;",
]

SEARCH_QUERIES = [
    "convert int to string", "read json file", "sort dictionary by value", "get current timestamp",
    "remove element from array by index", "http post request with headers", "parse command line arguments",
    "check if file exists", "merge two dictionaries", "string to date", "connect to postgres database",
    "write list to csv", "regex match email", "reverse a linked list", "deep copy object",
    "convert list to set", "read file line by line", "unzip a file", "send email smtp",
    "generate random number between range", "find max in array", "measure execution time",
    "split string by multiple delimiters", "base64 encode string", "create thread pool",
    "iterate over map keys", "format float two decimals", "async await fetch", "hash password bcrypt",
    "how to flatten list of lists", "pad string with zeros", "get file extension", "json to struct",
    "run shell command and capture output", "upload file to s3", "capitalize first letter",
    "check if string is numeric", "make directory recursively", "copy file", "sleep for milliseconds",
    "get week number from date", "count occurrences in list", "url encode string",
]
SEARCH_LANG_HINT = ["python", "java", "javascript", "go", "golang", "ruby", "php", "c#", "rust",
                    "in python", "in java", "node", "kotlin", "swift", "bash", "typescript"]

ERRORS = [
    ("Python", 'Traceback (most recent call last):\n  File "app.py", line 42, in <module>\n    main()\n  File "app.py", line 37, in main\n    total = sum(prices) / len(prices)\nZeroDivisionError: division by zero'),
    ("Python", "TypeError: can only concatenate str (not \"int\") to str"),
    ("Python", "ModuleNotFoundError: No module named 'numpy'"),
    ("Python", 'KeyError: \'user_id\'\n  File "handlers.py", line 18, in get_profile\n    uid = request.json["user_id"]'),
    ("Python", "ValueError: invalid literal for int() with base 10: '12a'"),
    ("JavaScript", "TypeError: Cannot read properties of undefined (reading 'map')\n    at UserList (UserList.jsx:14:23)"),
    ("JavaScript", "Uncaught SyntaxError: Unexpected token '<' in JSON at position 0"),
    ("JavaScript", "Error: listen EADDRINUSE: address already in use :::3000"),
    ("Java", 'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n\tat com.example.App.greet(App.java:12)\n\tat com.example.App.main(App.java:5)'),
    ("Java", "java.lang.ArrayIndexOutOfBoundsException: Index 5 out of bounds for length 5"),
    ("C++", "error: no matching function for call to 'std::vector<int>::push_back(std::string&)'"),
    ("C++", "Segmentation fault (core dumped)"),
    ("C", "warning: implicit declaration of function 'strdup' [-Wimplicit-function-declaration]"),
    ("Rust", "error[E0502]: cannot borrow `v` as mutable because it is also borrowed as immutable"),
    ("Rust", "error[E0382]: borrow of moved value: `config`"),
    ("Go", "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d"),
    ("Go", "fatal error: all goroutines are asleep - deadlock!"),
    ("SQL", "ERROR:  column \"created\" does not exist\nLINE 1: SELECT id, created FROM users;"),
    ("SQL", "ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails"),
    ("Docker", "docker: Error response from daemon: driver failed programming external connectivity on endpoint web: Bind for 0.0.0.0:80 failed: port is already allocated."),
    ("Git", "error: failed to push some refs to 'origin'\nhint: Updates were rejected because the tip of your current branch is behind"),
    ("npm", "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree"),
    ("TypeScript", "error TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'."),
    ("C#", "System.InvalidOperationException: Sequence contains no elements"),
    ("Kotlin", "kotlin.UninitializedPropertyAccessException: lateinit property adapter has not been initialized"),
]
ERROR_WRAPPERS = [
    "I get this error, how do I fix it?\n\n{e}", "{e}\n\nWhat does this mean?", "Why am I getting this?\n```\n{e}\n```",
    "My {PL} program crashes with:\n{e}\nAny idea?", "Help! {e}", "How to fix: {e}",
    "Running my script gives me\n\n{e}\n\nWhat am I doing wrong?",
    "Ich bekomme diesen Fehler:\n{e}\nWas mache ich falsch?", "J'ai cette erreur : {e}\nComment la corriger ?",
    "运行时报错：\n{e}\n怎么解决？", "このエラーの原因は何ですか？\n{e}", "Получаю ошибку:\n{e}\nКак исправить?",
    "Me sale este error: {e}\n¿Qué significa?",
]
