import streamlit as st

st.title("Hello Docker!")
st.write("A Streamlit app running in a Docker container.")
st.line_chart({"data": [1, 3, 2, 4, 5, 3]})
