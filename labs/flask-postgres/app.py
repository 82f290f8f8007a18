import os

import psycopg2
from flask import Flask

app = Flask(__name__)


def connect():
    return psycopg2.connect(host="db", dbname=os.environ["POSTGRES_DB"], user=os.environ["POSTGRES_USER"], password=os.environ["POSTGRES_PASSWORD"])


@app.route("/")
def visits():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS visits (at timestamptz DEFAULT now())")
        cur.execute("INSERT INTO visits DEFAULT VALUES")
        cur.execute("SELECT count(*) FROM visits")
        count = cur.fetchone()[0]
    return f"{count} visits, kept in the volume pgdata across restarts."


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
