-- Sandbox only: the oc_pizza database, its user and the schema, as deployed from
-- https://github.com/OC_PIZZA/database.git on the real database server.
CREATE DATABASE oc_pizza CHARACTER SET utf8mb4;
CREATE USER 'oc_pizza'@'%' IDENTIFIED BY '{{ DB_PASSWORD }}';
GRANT ALL ON oc_pizza.* TO 'oc_pizza'@'%';
USE oc_pizza;
--8<-- "snippets/ocpizza/schema.sql"
