from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    # Edit this line and reload the page: with the bind mount, no rebuild is needed.
    return "Hello from a bind-mounted Flask app!"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
