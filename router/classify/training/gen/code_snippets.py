"""Code written for this generator: the programming languages users name, and snippets in many
of them (with comments in several natural languages) that rows quote, explain, review or
translate."""

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
