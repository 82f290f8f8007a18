import os

import psycopg2
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    try:
        # In a container, localhost is the container itself: the database is the container named by DB_HOST.
        conn = psycopg2.connect(dbname="mydb", user="myuser", password=os.getenv("DB_PASSWORD"), host=os.getenv("DB_HOST", "db"))
        conn.close()
        return "Hello, connected to PostgreSQL!"
    except Exception as e:
        return f"Error: {e}"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
